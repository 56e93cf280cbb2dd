package io.dataflare.engine.runtime;

import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Handing a 1,000-record batch from one stage's thread to the next through the engine's bounded channel
 * (the class the runtime uses; the benchmark lives in the runtime's package to reach it). A consumer
 * thread takes as a downstream stage would, so the figure is batches handed over per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HandoffBench {
    private InFlight inFlight;
    private SharedChannel channel;
    private Thread consumer;
    private RecordBatch batch;

    @Setup(Level.Trial)
    public void setUp() {
        Fields f = Fields.of("id");
        RecordBatch.Builder b = RecordBatch.builder(1000);
        for (long i = 0; i < 1000; i++) b.add(Record.of(f, i));
        batch = b.build();
        inFlight = new InFlight();
        channel = new SharedChannel(4, 1, 1, inFlight);
        consumer = Thread.ofPlatform().daemon(true).start(() -> {
            try {
                while (channel.take(0) != Channel.END) inFlight.done();
            } catch (InterruptedException e) {
                // benchmark over
            }
        });
    }

    @Benchmark
    public void sendToTheNextStage() throws InterruptedException {
        channel.send(batch);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        channel.producerDone();
        consumer.join();
    }
}
