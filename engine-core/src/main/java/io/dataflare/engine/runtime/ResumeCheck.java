package io.dataflare.engine.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dataflare.engine.checkpoint.Checkpoint;
import io.dataflare.engine.pipeline.ComponentPlan;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.pipeline.StagePlan;
import io.dataflare.engine.pipeline.StageRole;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether a checkpoint belongs to the pipeline about to resume from it. A checkpoint records, per source and
 * sink, a digest of what resuming relies on: the plugin and its version, the options (input and output
 * paths among them) and the directory relative paths resolve against. Seeking another input to a recorded
 * position, or cutting another output back to a recorded length, would corrupt it, so a stage that changed
 * refuses the resume. Options a component declares as tuning ({@code ConfigSpec.isTuning}: queue sizes, time
 * limits) are left out. Processors are not part of it: fixing a processor and resuming is what checkpoints
 * are for. Compatible changes: a dead-letter sink added since (it starts empty) and a sink removed.
 */
public final class ResumeCheck {
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    static final String DEAD_LETTER = "dead_letter";

    private ResumeCheck() {}

    /** The digest per source and sink stage of {@code plan}. */
    public static Map<String, String> fingerprint(PipelinePlan plan) {
        Map<String, String> out = new TreeMap<>();
        String base = String.valueOf(plan.definition().baseDir());
        for (StagePlan s : plan.stages()) {
            if (s.role() != StageRole.PROCESSOR)
                out.put(s.name(), digest(plan, s.role().label(), s.component(), base));
        }
        if (plan.deadLetter() != null) out.put(DEAD_LETTER, digest(plan, "sink", plan.deadLetter(), base));
        return out;
    }

    /** How {@code plan} describes itself in a checkpoint: name and file. */
    public static String origin(PipelinePlan plan) {
        return "'" + plan.name() + "' (" + plan.definition().source() + ")";
    }

    /**
     * Refuses {@code checkpoint} for {@code plan} when a stage it relies on differs.
     *
     * @throws CheckpointMismatchException naming both pipelines, the stages that differ and {@code --from-start}
     */
    static void verify(Checkpoint checkpoint, PipelinePlan plan, String store) {
        if (checkpoint.fingerprint() == null) return; // written before fingerprints: nothing to compare
        Map<String, String> now = fingerprint(plan);
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, String> e : now.entrySet()) {
            String stage = e.getKey();
            String then = checkpoint.fingerprint().get(stage);
            boolean source = plan.stage(stage) != null && plan.stage(stage).role() == StageRole.SOURCE;
            if (then == null) {
                if (stage.equals(DEAD_LETTER)) continue; // a new dead-letter sink starts empty: nothing to undo
                differences.add((source ? "source '" : "sink '") + stage + "' is new");
            } else if (!then.equals(e.getValue())) {
                differences.add(
                        (source ? "source '" : "sink '") + stage + "' changed (plugin, version, options or directory)");
            }
        }
        for (String stage : checkpoint.fingerprint().keySet()) {
            if (!now.containsKey(stage) && checkpoint.sources().containsKey(stage))
                differences.add("source '" + stage + "' is gone");
        }
        if (differences.isEmpty()) return;
        String by = checkpoint.origin() == null ? "another pipeline" : "pipeline " + checkpoint.origin();
        throw new CheckpointMismatchException(
                "checkpoint " + checkpoint.id() + " of '" + checkpoint.pipeline() + "' in " + store
                        + " was written by " + by + " and does not fit pipeline " + origin(plan) + ": "
                        + String.join("; ", differences)
                        + ". Resuming would corrupt its outputs, so nothing was run: start over to discard the checkpoint (run --from-start;"
                        + " a task: start with from_start=true), or give the pipeline its own id (id: in the file) or state directory (--state-dir)");
    }

    private static String digest(PipelinePlan plan, String role, ComponentPlan c, String base) {
        Map<String, Object> what = new TreeMap<>();
        what.put("role", role);
        what.put("plugin", c.pluginLabel());
        what.put("component", c.component().name());
        what.put("base_dir", base);
        Map<String, Object> options = new TreeMap<>(c.config().asMap());
        options.keySet().removeIf(c.component().factory().configSpec()::isTuning);
        what.put("options", options);
        try {
            // Secrets are masked first: a digest of a short secret could be brute-forced from the state store.
            String text = plan.definition().redactor().redact(JSON.writeValueAsString(what));
            byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint stage options: " + e.getMessage(), e);
        }
    }
}
