package io.dataflare.bench;

import io.dataflare.engine.Engine;
import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineRun;
import io.dataflare.engine.runtime.PipelineState;
import java.nio.file.Path;

/**
 * {@code engine-kafka}: the pipeline {@code kafka} source -> {@code kafka} sink with the real plugin JARs
 * ({@code engine-kafka-batch-N}: with {@code runtime.batch_size: N} instead of the default 1,000). The
 * source never ends, so the run is stopped (drained, flushed, checkpointed) as soon as its sink has written
 * every message of the input topic; the time includes that stop.
 */
final class KafkaPipelineRow implements Row {
    /** The engine's default {@code runtime.batch_size}. */
    static final int DEFAULT_BATCH = 1000;

    private final Engine engine;
    private final KafkaBench kafka;
    private final long messages;
    private final int batchSize;
    private String topic;
    private long before;

    /**
     * @param batchSize the pipeline's {@code runtime.batch_size}: the sink waits for the broker's acknowledgement
     *                  of each batch, so it sets how many round trips the run waits for
     */
    KafkaPipelineRow(Engine engine, KafkaBench kafka, long messages, int batchSize) {
        this.engine = engine;
        this.kafka = kafka;
        this.messages = messages;
        this.batchSize = batchSize;
    }

    @Override
    public String name() {
        return batchSize == DEFAULT_BATCH ? "engine-kafka" : "engine-kafka-batch-" + batchSize;
    }

    @Override
    public String unavailable() {
        return ConnectorSuite.missing(engine, "kafka");
    }

    @Override
    public void prepare() throws Exception {
        topic = kafka.outputTopic(name());
        before = kafka.count(topic);
    }

    @Override
    public long run(Path input, Path outDir) throws Exception {
        String yaml = """
                name: bench-%s
                sources:
                  in: { use: kafka, with: { bootstrap_servers: "%s", topic: %s, start: earliest, format: json } }
                sinks:
                  out: { use: kafka, from: in, with: { bootstrap_servers: "%s", topic: %s } }
                runtime: { batch_size: %s, checkpoint_interval_ms: 0 }
                """.formatted(
                        name(), kafka.bootstrapServers(), KafkaBench.INPUT, kafka.bootstrapServers(), topic, batchSize);
        PipelinePlan plan = engine.load(yaml, "bench-" + name() + ".yaml", ConfigReader.Format.YAML, outDir);
        try (PipelineRun run = engine.start(plan)) {
            while (run.stats().recordsOut() < messages && run.state() == PipelineState.RUNNING) Thread.sleep(2);
            run.stop();
            PipelineResult r = run.await();
            if (r.state() != PipelineState.COMPLETED && r.state() != PipelineState.STOPPED)
                throw new IllegalStateException(name() + ": " + r.state() + ": " + r.failure());
            return written(kafka, topic, before, r.stats().recordsOut());
        }
    }

    /** {@code claimed}, once the output topic is seen to have grown by exactly that many messages. */
    static long written(KafkaBench kafka, String topic, long before, long claimed) throws Exception {
        long there = kafka.count(topic) - before;
        if (there != claimed)
            throw new IllegalStateException("topic " + topic + " got " + there + " messages, expected " + claimed);
        return there;
    }
}
