package io.dataflare.api.state;

/**
 * The clock a timer follows.
 *
 * @since 1.1.0
 */
public enum TimeDomain {
    /** The processor's own watermark ({@link Timers#advanceWatermark}). */
    EVENT_TIME,
    /** The engine's clock (wall-clock milliseconds since the epoch). */
    PROCESSING_TIME
}
