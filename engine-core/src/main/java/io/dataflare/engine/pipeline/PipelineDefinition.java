package io.dataflare.engine.pipeline;

import io.dataflare.engine.config.Location;
import io.dataflare.engine.config.Redactor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A pipeline as written: parsed and checked for shape, not yet resolved against plugins (that is
 * {@link PipelineValidator}'s job).
 *
 * @param name     the pipeline name
 * @param source   the file (or other source) it was read from, for messages
 * @param baseDir  the directory relative paths are resolved against
 * @param stages   the stages in file order (sources, then processors, then sinks)
 * @param policies the policies
 * @param runtime  the runtime settings
 * @param redactor the secrets it referenced, to mask in output
 */
public record PipelineDefinition(String name, String source, Path baseDir, List<StageDefinition> stages,
                                 PoliciesDefinition policies, RuntimeSettings runtime, Redactor redactor) {
    public PipelineDefinition {
        stages = List.copyOf(stages);
    }

    /** The stages of one role, in file order. */
    public List<StageDefinition> stages(StageRole role) {
        List<StageDefinition> out = new ArrayList<>();
        for (StageDefinition s : stages) {
            if (s.role() == role) out.add(s);
        }
        return out;
    }

    /** The stage named {@code name}, or null. */
    public StageDefinition stage(String name) {
        for (StageDefinition s : stages) {
            if (s.name().equals(name)) return s;
        }
        return null;
    }

    /** Where the pipeline starts (for errors about the whole pipeline). */
    public Location location() {
        return Location.of(source);
    }
}
