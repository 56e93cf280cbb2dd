package io.dataflare.server.http;

import io.dataflare.engine.config.Redactor;
import io.dataflare.engine.runtime.EdgeSnapshot;
import io.dataflare.engine.runtime.LatencySnapshot;
import io.dataflare.engine.runtime.StageSnapshot;
import io.dataflare.engine.runtime.StatsSnapshot;
import io.dataflare.server.io.OutputBuffer;
import io.dataflare.server.io.PushInput;
import io.dataflare.server.task.Attachment;
import io.dataflare.server.task.Task;
import io.dataflare.server.task.TaskSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tasks as the API shows them. Every text is passed through the task's redactor, and the pipeline is shown as
 * submitted ({@code ${secret:...}} references, never their values).
 */
final class TaskViews {
    private TaskViews() {}

    /** The short form, for lists. */
    static Map<String, Object> summary(Task t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("state", t.state().name());
        m.put("pipeline_name", t.compiled() == null ? null : t.compiled().pipelineName());
        StatsSnapshot s = t.stats();
        m.put("records_in", s == null ? 0 : s.recordsIn());
        m.put("records_out", s == null ? 0 : s.recordsOut());
        m.put("dead_lettered", s == null ? 0 : s.deadLettered());
        m.put("throughput", s == null ? 0.0 : throughput(s));
        m.put("error", t.error());
        m.put("updated_at", t.updatedAt());
        return redacted(m, t.redactor());
    }

    /** Everything about a task. */
    static Map<String, Object> detail(Task t) {
        Map<String, Object> m = new LinkedHashMap<>();
        TaskSpec spec = t.spec();
        m.put("id", t.id());
        m.put("state", t.state().name());
        m.put("error", t.error());
        m.put("pipeline_name", t.compiled() == null ? null : t.compiled().pipelineName());
        m.put("origin", spec.origin());
        m.put("created_at", t.createdAt());
        m.put("updated_at", t.updatedAt());
        StatsSnapshot s = t.stats();
        m.put("stats", s == null ? null : stats(s));
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (PushInput in : t.inputs().values()) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("source", in.stage());
            i.put("queued", in.queue().size());
            i.put("held", in.queue().held());
            i.put("capacity", in.queue().capacity());
            i.put("accepted", in.queue().accepted());
            inputs.add(i);
        }
        m.put("inputs", inputs);
        List<Map<String, Object>> outputs = new ArrayList<>();
        for (OutputBuffer out : t.outputs().values()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("sink", out.sink());
            o.put("total", out.total());
            o.put("first_offset", out.first());
            o.put("capacity", out.capacity());
            outputs.add(o);
        }
        m.put("outputs", outputs);
        List<Map<String, Object>> attachments = new ArrayList<>();
        for (Attachment a : t.attachments()) attachments.add(attachment(a));
        m.put("attachments", attachments);
        m.put("format", spec.format());
        m.put("pipeline", t.pipeline());
        return redacted(m, t.redactor());
    }

    static Map<String, Object> attachment(Attachment a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("path", a.path().toString());
        m.put("format", a.format().name().toLowerCase(java.util.Locale.ROOT));
        m.put("source", a.source());
        m.put("records", a.read());
        m.put("state", a.state());
        m.put("error", a.error());
        return m;
    }

    /** A run's counters: totals, throughput, queue depths and per-stage busy time. */
    static Map<String, Object> stats(StatsSnapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("records_in", s.recordsIn());
        m.put("records_out", s.recordsOut());
        m.put("errors", s.errors());
        m.put("dead_lettered", s.deadLettered());
        m.put("skipped", s.skipped());
        m.put("filtered", s.filtered());
        m.put("retries", s.retries());
        m.put("timeouts", s.timeouts());
        m.put("duration_ms", s.durationMs());
        m.put("throughput", throughput(s));
        int queued = 0;
        List<Map<String, Object>> stages = new ArrayList<>();
        for (StageSnapshot st : s.stages()) {
            queued += st.queued();
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("name", st.name());
            x.put("role", st.role());
            x.put("plugin", st.plugin());
            x.put("instances", st.instances());
            x.put("records_in", st.recordsIn());
            x.put("records_out", st.recordsOut());
            x.put("failed", st.failed());
            x.put("errors", st.errors());
            x.put("retries", st.retries());
            x.put("timeouts", st.timeouts());
            x.put("batches", st.batches());
            x.put("busy_ms", st.busyMs());
            x.put("ms_per_batch", st.batches() == 0 ? 0.0 : Math.round(100.0 * st.busyMs() / st.batches()) / 100.0);
            x.put("queued_batches", st.queued());
            if (!st.outputs().isEmpty()) x.put("outputs", st.outputs()); // records per named output
            stages.add(x);
        }
        m.put("queued_batches", queued);
        m.put("stages", stages);
        List<Map<String, Object>> edges = new ArrayList<>();
        for (EdgeSnapshot e : s.edges()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("from", e.from());
            x.put("to", e.to());
            x.put("depth", e.depth());
            x.put("capacity", e.capacity());
            edges.add(x);
        }
        m.put("edges", edges);
        LatencySnapshot l = s.latency();
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("records", l.records());
        latency.put("p50_ms", l.p50Ms());
        latency.put("p99_ms", l.p99Ms());
        latency.put("max_ms", l.maxMs());
        m.put("latency", latency);
        return m;
    }

    private static double throughput(StatsSnapshot s) {
        return s.durationMs() <= 0 ? 0.0 : Math.round(10.0 * s.recordsIn() * 1000.0 / s.durationMs()) / 10.0;
    }

    /** {@code m} with every string in it masked by {@code redactor}. */
    @SuppressWarnings("unchecked")
    static <T> T redacted(T value, Redactor redactor) {
        if (redactor.isEmpty()) return value;
        if (value instanceof String s) return (T) redactor.redact(s);
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, redacted(v, redactor)));
            return (T) out;
        }
        if (value instanceof List<?> list)
            return (T) list.stream().map(v -> redacted(v, redactor)).toList();
        if (value instanceof com.fasterxml.jackson.databind.JsonNode node) {
            return (T) Json.MAPPER.valueToTree(redacted(Json.MAPPER.convertValue(node, Object.class), redactor));
        }
        return value;
    }
}
