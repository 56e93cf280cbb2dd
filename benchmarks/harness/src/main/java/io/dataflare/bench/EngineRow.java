package io.dataflare.bench;

import io.dataflare.engine.Engine;
import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import java.nio.file.Path;

/**
 * The job as a DataFlare pipeline from plugin JARs (and modules, scripts): {@code csv-file} source with
 * the same schema as the baseline, the row's processor, {@code jsonl-file} sink(s).
 */
final class EngineRow implements Row {
    private final String name;
    private final Engine engine;
    private final String processor;
    private final String stageExtras;
    private final boolean fanOut;
    private final String language;

    /**
     * @param processor   the processor's {@code use:} and {@code with:} (YAML flow text after {@code use: })
     * @param stageExtras more keys of the processor stage (parallelism, routing), or empty
     * @param language    the plugin host the row needs ({@code java}, {@code wasm}, {@code javascript}, {@code python})
     */
    EngineRow(String name, Engine engine, String processor, String stageExtras, boolean fanOut, String language) {
        this.name = name;
        this.engine = engine;
        this.processor = processor;
        this.stageExtras = stageExtras;
        this.fanOut = fanOut;
        this.language = language;
    }

    @Override
    public String name() {
        return name;
    }

    String processor() {
        return processor;
    }

    String stageExtras() {
        return stageExtras;
    }

    boolean fanOut() {
        return fanOut;
    }

    String language() {
        return language;
    }

    @Override
    public String unavailable() {
        boolean hosted =
                engine.plugins().hosts().stream().anyMatch(h -> h.language().equals(language));
        return hosted ? null : "the " + language + " plugin host is not installed";
    }

    @Override
    public long run(Path input, Path outDir) throws Exception {
        String yaml = """
                name: bench-%s
                sources:
                  in: { use: csv-file, with: { path: "%s", schema: { id: long, amount: double, quantity: long } } }
                processors:
                  t: { use: %s, from: in%s }
                sinks:
                  out: { use: jsonl-file, from: t, with: { path: "%s" } }
                %s
                runtime: { batch_size: 1000 }
                """.formatted(
                        name,
                        input,
                        processor,
                        stageExtras.isEmpty() ? "" : ", " + stageExtras,
                        outDir.resolve(name + ".jsonl"),
                        fanOut
                                ? "  copy: { use: jsonl-file, from: t, with: { path: \""
                                        + outDir.resolve(name + "-copy.jsonl") + "\" } }"
                                : "");
        PipelinePlan plan = engine.load(yaml, "bench-" + name + ".yaml", ConfigReader.Format.YAML, outDir);
        PipelineResult r = engine.run(plan);
        if (r.state() != PipelineState.COMPLETED)
            throw new IllegalStateException(name + ": " + r.state() + ": " + r.failure());
        return r.stats().recordsIn();
    }
}
