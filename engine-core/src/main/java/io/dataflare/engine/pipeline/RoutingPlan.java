package io.dataflare.engine.pipeline;

/**
 * Key routing for a parallel stage.
 *
 * @param keyField the field holding the key, or null to use the record's key
 * @param router   the key router
 */
public record RoutingPlan(String keyField, ComponentPlan router) {}
