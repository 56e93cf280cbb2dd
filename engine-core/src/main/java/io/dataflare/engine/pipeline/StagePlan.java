package io.dataflare.engine.pipeline;

import java.util.List;

/**
 * A validated stage, ready to run.
 *
 * @param definition the stage as written
 * @param component  its resolved component
 * @param instances  how many instances run (processors: parallelism; others: 1)
 * @param routing    key routing into its instances, or null (instances share one queue)
 * @param downstream the stages reading from it
 */
public record StagePlan(
        StageDefinition definition,
        ComponentPlan component,
        int instances,
        RoutingPlan routing,
        List<String> downstream) {
    public StagePlan {
        downstream = List.copyOf(downstream);
    }

    public String name() {
        return definition.name();
    }

    public StageRole role() {
        return definition.role();
    }

    /** For people: {@code processor 'clean': filter (dataflare-transforms@1.0.0) x2}. */
    @Override
    public String toString() {
        return role().label() + " '" + name() + "': " + component.describe() + (instances > 1 ? " x" + instances : "");
    }
}
