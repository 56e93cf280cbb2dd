package io.dataflare.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataflare.engine.Engine;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.StageSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The plugin folders of the tests and what they compare between a local and a Flink run. */
final class Fixtures {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** The built-in plugins (copied there by the build), as in the distribution's plugins/ folder. */
    static final Path BUILT_INS = Path.of("target", "test-plugins").toAbsolutePath();

    static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {}

    static Engine engine(List<Path> pluginDirs) {
        Engine.Builder b = Engine.builder();
        for (Path p : pluginDirs) b.pluginDirectory(p);
        return b.build();
    }

    /** Runs {@code pipeline} locally. */
    static PipelineResult runLocally(Path pipeline, List<Path> pluginDirs) throws Exception {
        try (Engine engine = engine(pluginDirs)) {
            return engine.run(engine.load(pipeline));
        }
    }

    /** Runs {@code pipeline} on an embedded Flink MiniCluster. */
    static PipelineResult runOnFlink(Path pipeline, List<Path> pluginDirs, Integer parallelism) throws Exception {
        try (Engine engine = engine(pluginDirs)) {
            PipelinePlan plan = engine.load(pipeline);
            return new FlinkRunner(plan, pluginDirs, parallelism).run();
        }
    }

    /** The summary's meaning, without what depends on timing: status, totals and each stage's counts. */
    static Map<String, Object> counts(PipelineResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", r.state().name());
        m.put("records_in", r.stats().recordsIn());
        m.put("records_out", r.stats().recordsOut());
        m.put("dead_lettered", r.stats().deadLettered());
        m.put("skipped", r.stats().skipped());
        m.put("filtered", r.stats().filtered());
        m.put("derived", r.stats().derived());
        for (StageSnapshot s : r.stats().stages()) {
            m.put(s.name(), List.of(s.role(), s.plugin(), s.recordsIn(), s.recordsOut(), s.failed(), s.outputs()));
        }
        return m;
    }

    /** The lines of a JSON-lines file, each parsed, without the fields in {@code drop} (timestamps). */
    static List<JsonNode> jsonLines(Path file, String... drop) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            JsonNode n = JSON.readTree(line);
            for (String d : drop) ((ObjectNode) n).remove(d);
            out.add(n);
        }
        return out;
    }

    /** The lines {@code file} holds so far: 0 before it exists. */
    static long lines(Path file) throws IOException {
        if (!Files.exists(file)) return 0;
        try (var s = Files.lines(file)) {
            return s.count();
        }
    }

    /** Copies {@code files} (relative to the repository root) into {@code dir}, keeping their relative paths. */
    static void copy(Path dir, String... files) throws IOException {
        for (String f : files) {
            Path to = dir.resolve(f);
            Files.createDirectories(to.getParent());
            Files.copy(ROOT.resolve(f), to);
        }
    }
}
