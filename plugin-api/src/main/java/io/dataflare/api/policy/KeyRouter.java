package io.dataflare.api.policy;

/**
 * Picks which instance of a parallel stage gets a record, from the record's routing key. A router that
 * returns the same instance for the same key keeps that key's records in order. An instance serves one
 * stage's input and may be called from several upstream threads at once, so it must be thread-safe.
 *
 * @since 1.0.0
 */
@FunctionalInterface
public interface KeyRouter {
    /**
     * The instance, from 0 to {@code load.instances() - 1}, for a record with routing key {@code key}
     * (null when the record has no value for the key field).
     */
    int route(Object key, RoutingLoad load);
}
