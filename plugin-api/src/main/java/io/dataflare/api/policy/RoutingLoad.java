package io.dataflare.api.policy;

/**
 * How busy each instance of a parallel stage is, for routers that balance load.
 *
 * @since 1.0.0
 */
public interface RoutingLoad {
    /** The number of instances (at least 2 when a router is used). */
    int instances();

    /** The batches waiting in the queue of {@code instance}. */
    int queued(int instance);
}
