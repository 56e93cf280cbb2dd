package io.dataflare.engine.pipeline;

import java.util.List;

/**
 * A pipeline that passed validation: every stage resolved to a plugin version and configured, in
 * topological order (every stage after the stages it reads from).
 *
 * @param definition  the pipeline as written
 * @param stages      the stages, upstream first
 * @param retry       the retry policy, or null for none
 * @param errorPolicy the error policy, or null for the default (abort)
 * @param deadLetter  the dead-letter sink, or null
 */
public record PipelinePlan(
        PipelineDefinition definition,
        List<StagePlan> stages,
        ComponentPlan retry,
        ComponentPlan errorPolicy,
        ComponentPlan deadLetter) {
    public PipelinePlan {
        stages = List.copyOf(stages);
    }

    public String name() {
        return definition.name();
    }

    /** For people: the pipeline's name and its stages. */
    @Override
    public String toString() {
        return "pipeline '" + name() + "' " + stages;
    }

    /** The stage named {@code name}, or null. */
    public StagePlan stage(String name) {
        for (StagePlan s : stages) {
            if (s.name().equals(name)) return s;
        }
        return null;
    }
}
