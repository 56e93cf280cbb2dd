package io.dataflare.engine.pipeline;

import io.dataflare.engine.config.Location;
import java.nio.file.Path;

/**
 * A sink's offline buffer as written ({@code buffer: {path, max_bytes, priority_field, retry_ms}}): where
 * records the sink cannot take for now (a retryable failure) are kept until it takes them again.
 *
 * @param path          the spool directory, resolved against the pipeline file's directory
 * @param maxBytes      the most the spool may hold; beyond it the sink holds back its input (backpressure)
 * @param priorityField the field whose numeric value orders draining (higher first), or null: in spool order
 * @param retryMs       how long after a failed delivery the spool is offered to the sink again
 * @param location      where {@code buffer:} is written
 */
public record SinkBufferDefinition(Path path, long maxBytes, String priorityField, long retryMs, Location location) {
    /** 1 GiB. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;

    public static final long DEFAULT_RETRY_MS = 1000;
}
