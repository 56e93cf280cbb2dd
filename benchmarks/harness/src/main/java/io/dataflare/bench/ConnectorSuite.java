package io.dataflare.bench;

import io.dataflare.api.PluginFactory;
import io.dataflare.engine.Engine;
import io.dataflare.engine.host.LoadedPlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code dataflare bench --suite connectors}: Kafka -> Kafka and CSV -> PostgreSQL through the engine with the
 * real plugin JARs, each against a plain kafka-clients / JDBC baseline doing the same job, measured in the same
 * run against a real KRaft broker and a real PostgreSQL that the suite starts itself.
 */
final class ConnectorSuite {
    /**
     * The batch size of the second Kafka pipeline row: the kafka sink waits for the broker's acknowledgement of
     * every batch, so fewer, larger batches wait for fewer round trips.
     */
    static final int TUNED_KAFKA_BATCH = 5000;

    /** Each engine row's baseline: the ratios in the report are against these. */
    static final Map<String, String> BASELINES = Map.of(
            "baseline-kafka",
            "baseline-kafka",
            "engine-kafka",
            "baseline-kafka",
            "engine-kafka-batch-" + TUNED_KAFKA_BATCH,
            "baseline-kafka",
            "baseline-jdbc-postgres",
            "baseline-jdbc-postgres",
            "engine-csv-postgres",
            "baseline-jdbc-postgres");

    private ConnectorSuite() {}

    /**
     * Starts the broker and the server, fills the input topic from the benchmark's {@code rows} CSV rows, runs
     * the suite's rows, and hands their measurements (in row order) to {@code report} while both still run.
     */
    static void run(
            Engine engine,
            Path dir,
            long rows,
            int rounds,
            long warmUpSeconds,
            Consumer<String> log,
            Consumer<Map<String, Measurement>> report)
            throws Exception {
        Path input = InputData.write(dir, rows);
        try (KafkaBench kafka = new KafkaBench(dir);
                PostgresBench pg = new PostgresBench()) {
            Path json = dir.resolve("input-" + rows + ".jsonl");
            HandLoop.run(input, json, r -> r);
            long messages = kafka.fill(json);
            Files.delete(json);
            log.accept("broker " + kafka.bootstrapServers() + ": " + messages + " messages in topic " + KafkaBench.INPUT
                    + " (" + KafkaBench.PARTITIONS + " partitions); PostgreSQL " + pg.url());
            List<Row> suite = List.of(
                    new KafkaLoopRow(kafka, messages),
                    new KafkaPipelineRow(engine, kafka, messages, KafkaPipelineRow.DEFAULT_BATCH),
                    new KafkaPipelineRow(engine, kafka, messages, TUNED_KAFKA_BATCH),
                    new JdbcBatchRow(pg),
                    new CsvToPostgresRow(engine, pg));
            report.accept(new Harness(suite, rounds, warmUpSeconds, log).run(input, dir));
        }
    }

    /** Why a row needing component {@code name} cannot run (its plugin is not loaded), or null. */
    static String missing(Engine engine, String name) {
        for (LoadedPlugin p : engine.plugins().plugins()) {
            for (PluginFactory<?> f : p.components()) {
                if (f.name().equals(name)) return null;
            }
        }
        return "no plugin provides '" + name + "' (the distribution's plugins folder is not there)";
    }
}
