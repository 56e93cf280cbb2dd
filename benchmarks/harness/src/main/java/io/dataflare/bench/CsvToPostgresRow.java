package io.dataflare.bench;

import io.dataflare.engine.Engine;
import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import java.nio.file.Path;

/**
 * {@code engine-csv-postgres}: the pipeline {@code csv-file} (the benchmark's schema) -> {@code jdbc} sink in
 * insert mode with the real plugin JARs, batches of 1,000 (one transaction each).
 */
final class CsvToPostgresRow implements Row {
    static final String TABLE = "engine_rows";
    private final Engine engine;
    private final PostgresBench pg;

    CsvToPostgresRow(Engine engine, PostgresBench pg) {
        this.engine = engine;
        this.pg = pg;
    }

    @Override
    public String name() {
        return "engine-csv-postgres";
    }

    @Override
    public String unavailable() {
        return ConnectorSuite.missing(engine, "jdbc");
    }

    @Override
    public void prepare() throws Exception {
        pg.emptyTable(TABLE);
    }

    @Override
    public long run(Path input, Path outDir) throws Exception {
        String yaml = """
                name: bench-engine-csv-postgres
                sources:
                  in: { use: csv-file, with: { path: "%s", schema: { id: long, amount: double, quantity: long } } }
                sinks:
                  out: { use: jdbc, from: in, with: { url: "%s", table: %s, mode: insert } }
                runtime: { batch_size: 1000 }
                """.formatted(input, pg.url(), TABLE);
        PipelinePlan plan = engine.load(yaml, "bench-engine-csv-postgres.yaml", ConfigReader.Format.YAML, outDir);
        PipelineResult r = engine.run(plan);
        if (r.state() != PipelineState.COMPLETED)
            throw new IllegalStateException(name() + ": " + r.state() + ": " + r.failure());
        return pg.written(TABLE, r.stats().recordsOut());
    }
}
