package io.dataflare.bench;

import io.dataflare.engine.Engine;
import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineRun;
import io.dataflare.engine.runtime.PipelineState;
import java.nio.file.Path;

/**
 * {@code engine-kafka}: the pipeline {@code kafka} source -> {@code kafka} sink with the real plugin JARs. The
 * source never ends, so the run is stopped (drained, flushed, checkpointed) as soon as its sink has written
 * every message of the input topic; the time includes that stop.
 */
final class KafkaPipelineRow implements Row {
    private final Engine engine;
    private final KafkaBench kafka;
    private final long messages;
    private String topic;
    private long before;

    KafkaPipelineRow(Engine engine, KafkaBench kafka, long messages) {
        this.engine = engine;
        this.kafka = kafka;
        this.messages = messages;
    }

    @Override
    public String name() {
        return "engine-kafka";
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
                name: bench-engine-kafka
                sources:
                  in: { use: kafka, with: { bootstrap_servers: "%s", topic: %s, start: earliest, format: json } }
                sinks:
                  out: { use: kafka, from: in, with: { bootstrap_servers: "%s", topic: %s } }
                runtime: { batch_size: 1000, checkpoint_interval_ms: 0 }
                """.formatted(kafka.bootstrapServers(), KafkaBench.INPUT, kafka.bootstrapServers(), topic);
        PipelinePlan plan = engine.load(yaml, "bench-engine-kafka.yaml", ConfigReader.Format.YAML, outDir);
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
