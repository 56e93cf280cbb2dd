package io.dataflare.engine.pipeline;

import io.dataflare.engine.config.Location;
import java.util.List;

/**
 * One stage as written in the pipeline file.
 *
 * @param name          the stage name (its key in the section)
 * @param role          source, processor or sink
 * @param component     what it uses, with its options; null only in a {@link ParsedPipeline} with problems,
 *                      when its {@code use:} could not be read
 * @param from          the stages it reads from (empty for sources)
 * @param fromLocations where each {@code from} entry is written
 * @param parallelism   the stage's own parallelism, or null for the pipeline default
 * @param routing       the stage's own routing, or null for the pipeline's
 * @param location      where the stage is written
 * @param elastic       the stage's elastic parallelism ({@code parallelism:} written as a map), or null
 * @param buffer        a sink's offline buffer ({@code buffer:}), or null
 */
public record StageDefinition(
        String name,
        StageRole role,
        ComponentUse component,
        List<String> from,
        List<Location> fromLocations,
        Integer parallelism,
        RoutingDefinition routing,
        Location location,
        ElasticParallelism elastic,
        SinkBufferDefinition buffer) {
    public StageDefinition {
        from = List.copyOf(from);
        fromLocations = List.copyOf(fromLocations);
    }

    /** A stage without an offline buffer. */
    public StageDefinition(
            String name,
            StageRole role,
            ComponentUse component,
            List<String> from,
            List<Location> fromLocations,
            Integer parallelism,
            RoutingDefinition routing,
            Location location,
            ElasticParallelism elastic) {
        this(name, role, component, from, fromLocations, parallelism, routing, location, elastic, null);
    }

    /** A stage with a fixed (or the default) parallelism. */
    public StageDefinition(
            String name,
            StageRole role,
            ComponentUse component,
            List<String> from,
            List<Location> fromLocations,
            Integer parallelism,
            RoutingDefinition routing,
            Location location) {
        this(name, role, component, from, fromLocations, parallelism, routing, location, null, null);
    }
}
