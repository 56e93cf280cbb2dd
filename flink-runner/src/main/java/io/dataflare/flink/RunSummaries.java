package io.dataflare.flink;

import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.pipeline.StagePlan;
import io.dataflare.engine.pipeline.StageRole;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import io.dataflare.engine.runtime.StageSnapshot;
import io.dataflare.engine.runtime.StatsSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Flink job's accumulators ({@link StageCounters}) as the summary of a local run: the same stages, counts and
 * totals ({@code records_in} read by the sources, {@code records_out} written by the sinks, {@code skipped} the
 * filtered records plus those the error policy skipped), so the CLI prints it as it prints a local run's.
 */
final class RunSummaries {
    private RunSummaries() {}

    static PipelineResult result(
            PipelinePlan plan,
            Map<String, Object> accumulators,
            Map<String, Integer> instances,
            boolean success,
            String failure,
            long durationMs) {
        Map<String, Long> counts = new LinkedHashMap<>();
        accumulators.forEach((k, v) -> {
            if (k.startsWith(StageCounters.PREFIX) && v instanceof Number n) {
                counts.put(k.substring(StageCounters.PREFIX.length()), n.longValue());
            }
        });
        List<StageSnapshot> stages = new ArrayList<>();
        long in = 0, out = 0, filtered = 0, derived = 0, retries = 0, errors = 0, timeouts = 0, skipped = 0;
        long deadLettered = 0;
        List<String> names = new ArrayList<>();
        // the named outputs some stage reads (a local run counts only those)
        java.util.Set<String> read = new java.util.HashSet<>();
        for (StagePlan s : plan.stages()) {
            names.add(s.name());
            for (String f : s.definition().from()) {
                io.dataflare.engine.pipeline.StageRef r =
                        io.dataflare.engine.pipeline.StageRef.of(f, n -> plan.stage(n) != null);
                if (r.output() != null) read.add(r.stage() + "." + r.output());
            }
        }
        if (plan.deadLetter() != null) names.add(Names.DEAD_LETTER_STAGE);
        for (String name : names) {
            StagePlan sp = plan.stage(name);
            StageSnapshot snap = new StageSnapshot(
                    name,
                    sp == null ? Names.DEAD_LETTER_STAGE : sp.role().label(),
                    sp == null
                            ? plan.deadLetter().pluginLabel()
                            : sp.component().pluginLabel(),
                    instances.getOrDefault(name, 1),
                    count(counts, name, Metrics.IN),
                    count(counts, name, Metrics.OUT),
                    count(counts, name, Metrics.FAILED),
                    count(counts, name, Metrics.FILTERED),
                    count(counts, name, Metrics.DERIVED),
                    count(counts, name, Metrics.ERRORS),
                    count(counts, name, Metrics.RETRIES),
                    count(counts, name, Metrics.TIMEOUTS),
                    count(counts, name, Metrics.BATCHES),
                    0,
                    0,
                    outputs(counts, name, sp, read));
            stages.add(snap);
            if (sp != null && sp.role() == StageRole.SOURCE) in += snap.recordsIn();
            if (sp != null && sp.role() == StageRole.SINK) out += snap.recordsOut();
            filtered += snap.filtered();
            derived += snap.derived();
            retries += snap.retries();
            errors += snap.errors();
            timeouts += snap.timeouts();
            skipped += count(counts, name, Metrics.SKIPPED);
            deadLettered += count(counts, name, Metrics.DEAD_LETTERED);
        }
        StatsSnapshot stats = new StatsSnapshot(
                in,
                out,
                deadLettered,
                skipped + filtered,
                filtered,
                derived,
                retries,
                errors,
                timeouts,
                durationMs,
                stages);
        return new PipelineResult(
                plan.name(), success ? PipelineState.COMPLETED : PipelineState.FAILED, stats, failure);
    }

    private static long count(Map<String, Long> counts, String stage, String metric) {
        return counts.getOrDefault(stage + "|" + metric, 0L);
    }

    private static Map<String, Long> outputs(
            Map<String, Long> counts, String stage, StagePlan sp, java.util.Set<String> read) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (sp == null) return out;
        for (String o : sp.component().outputs()) {
            if (read.contains(stage + "." + o)) out.put(o, count(counts, stage, Metrics.OUTPUT + o));
        }
        return out;
    }
}
