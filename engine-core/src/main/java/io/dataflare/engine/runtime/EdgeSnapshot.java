package io.dataflare.engine.runtime;

/**
 * The bounded queue on one edge of the pipeline's graph at a moment. A stage reads all its upstreams through one
 * input queue, so the edges into the same stage show the same queue.
 *
 * @param from     the upstream stage
 * @param to       the stage whose input queue it is
 * @param depth    batches waiting in it
 * @param capacity batches it holds at most (a full queue blocks the upstream)
 */
public record EdgeSnapshot(String from, String to, int depth, int capacity) {}
