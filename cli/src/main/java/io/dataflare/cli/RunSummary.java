package io.dataflare.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.StageSnapshot;
import io.dataflare.engine.runtime.StatsSnapshot;
import io.dataflare.engine.runtime.SwitchResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The end-of-run report: a short table for people, one JSON object for scripts. */
final class RunSummary {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunSummary() {}

    static Map<String, Object> asMap(PipelineResult r) {
        StatsSnapshot s = r.stats();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pipeline", r.pipeline());
        m.put("status", r.state().name());
        m.put("records_in", s.recordsIn());
        m.put("records_out", s.recordsOut());
        m.put("dead_lettered", s.deadLettered());
        m.put("skipped", s.skipped());
        m.put("filtered", s.filtered());
        m.put("derived", s.derived());
        m.put("retries", s.retries());
        m.put("timeouts", s.timeouts());
        m.put("duration_ms", s.durationMs());
        Map<String, Long> sinks = new LinkedHashMap<>();
        for (StageSnapshot st : s.stages()) {
            if (st.role().equals("sink")) sinks.put(st.name(), st.recordsOut());
        }
        m.put("sinks", sinks);
        Map<String, Map<String, Long>> outputs = new LinkedHashMap<>();
        for (StageSnapshot st : s.stages()) {
            if (!st.outputs().isEmpty()) outputs.put(st.name(), st.outputs());
        }
        if (!outputs.isEmpty()) m.put("outputs", outputs);
        if (!r.switches().isEmpty()) {
            List<Map<String, Object>> switches = new ArrayList<>();
            for (SwitchResult sw : r.switches()) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("stage", sw.stage());
                one.put("kind", sw.kind());
                one.put("from", sw.from());
                one.put("to", sw.to());
                one.put("pause_ms", sw.maxPauseMillis());
                switches.add(one);
            }
            m.put("switches", switches);
        }
        if (r.failure() != null) m.put("error", r.failure());
        return m;
    }

    static void printJson(PipelineResult r, PrintWriter out) {
        try {
            out.println(JSON.writeValueAsString(asMap(r)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void printText(PipelineResult r, PrintWriter out) {
        StatsSnapshot s = r.stats();
        double secs = Math.max(s.durationMs(), 1) / 1000.0;
        out.printf(
                Locale.ROOT,
                "%s %s in %.2fs: %,d records in, %,d out, %,d dead-lettered, %,d skipped%s (%,.0f records/s)%n",
                r.pipeline(),
                r.state(),
                secs,
                s.recordsIn(),
                s.recordsOut(),
                s.deadLettered(),
                s.skipped(),
                s.timeouts() == 0 ? "" : String.format(Locale.ROOT, ", %,d calls timed out", s.timeouts()),
                s.recordsIn() / secs);
        out.printf(
                Locale.ROOT,
                "  %-16s %-11s %-28s %12s %12s %10s %8s %8s%n",
                "STAGE",
                "ROLE",
                "PLUGIN",
                "IN",
                "OUT",
                "FAILED",
                "RETRIES",
                "TIMEOUTS");
        for (StageSnapshot st : s.stages()) {
            out.printf(
                    Locale.ROOT,
                    "  %-16s %-11s %-28s %,12d %,12d %,10d %,8d %,8d%n",
                    st.name(),
                    st.role(),
                    st.plugin(),
                    st.recordsIn(),
                    st.recordsOut(),
                    st.failed(),
                    st.retries(),
                    st.timeouts());
            for (Map.Entry<String, Long> o : st.outputs().entrySet()) {
                out.printf(Locale.ROOT, "    -> %-65s %,12d%n", st.name() + "." + o.getKey(), o.getValue());
            }
        }
        for (SwitchResult sw : r.switches()) {
            out.printf(
                    Locale.ROOT,
                    "  switched %s '%s': %s -> %s, %s %.1f ms%n",
                    sw.kind(),
                    sw.stage(),
                    sw.from(),
                    sw.to(),
                    sw.kind().equals("processor") ? "longest worker pause" : "pipeline paused at a barrier",
                    sw.maxPauseMillis());
        }
        if (r.failure() != null) out.println("error: " + r.failure());
    }
}
