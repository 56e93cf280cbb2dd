package io.dataflare.engine.pipeline;

/**
 * The pipeline's policies; each may be null (then the engine's default applies: no retry, abort on
 * error, hash routing).
 */
public record PoliciesDefinition(ComponentUse retry, ErrorsDefinition errors, RoutingDefinition routing) {
    /** No policies set. */
    public static final PoliciesDefinition NONE = new PoliciesDefinition(null, null, null);
}
