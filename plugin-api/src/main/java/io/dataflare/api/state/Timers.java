package io.dataflare.api.state;

import java.util.List;

/**
 * The timers of one processor instance, from {@link io.dataflare.api.PluginContext#timers()}: a processor asks to
 * be called back ({@link io.dataflare.api.processor.Processor#onTimers}) for a key at a time, in processing time
 * (the engine's clock) or in event time (the processor's watermark). Timers are keyed state: they live in the
 * key's key group, are saved with every checkpoint, move with their key group when an elastic stage rescales,
 * and a resumed run fires each timer the checkpoint holds exactly once (or never, if it is deleted first).
 *
 * <ul>
 *   <li>A <b>processing-time</b> timer fires once the clock has reached its time, also while no input arrives:
 *       the engine wakes the instance up for it.
 *   <li>An <b>event-time</b> timer fires once the instance's watermark has reached its time. The engine knows no
 *       event time of its own (records carry no mandatory timestamp), so the processor declares its watermark
 *       with {@link #advanceWatermark}, typically from the event times it has seen; due event-time timers fire
 *       after the {@link io.dataflare.api.processor.Processor#process} call that advanced it.
 * </ul>
 *
 * <p>Timers fire in time order, between batches, never concurrently with {@code process}; their output is
 * emitted as {@code process}'s is and is part of the same checkpoints. A timer is one per key, time and domain:
 * registering it again changes nothing. Keys are given as in the state API (String, Long, Integer, byte[] or
 * another JSON-compatible value; not null). The watermark is per instance: a key group moved to another instance
 * at a rescale keeps its timers, which then follow that instance's watermark. Timers left when a bounded input
 * ends: the engine moves the watermark to the end of time, so every event-time timer fires (through {@code
 * onTimers}, before {@link io.dataflare.api.processor.Processor#endOfInput}); processing-time timers left do not.
 *
 * @since 1.1.0
 */
public interface Timers {
    /** The engine's clock now, in epoch milliseconds (the time processing-time timers compare with). */
    long currentProcessingTime();

    /** This instance's watermark, in epoch milliseconds; {@link Long#MIN_VALUE} until first advanced. */
    long currentWatermark();

    /**
     * Moves this instance's watermark to {@code watermark} (a lower value leaves it where it is): every event-time
     * timer at or before it fires after the current {@code process} call. The watermark is saved with the
     * checkpoints.
     */
    void advanceWatermark(long watermark);

    /**
     * Removes and returns (in time order) the event-time timers at or before the watermark now, for a processor
     * that handles them within {@code process}, record by record (as a window operator that must fire a window
     * before it adds the next record); the timers not taken this way fire through {@code onTimers} after {@code
     * process}.
     */
    List<FiredTimer> takeDueEventTimers();

    /** Asks for {@code onTimers} once the clock reaches {@code time} (epoch milliseconds) for {@code key}. */
    void registerProcessingTimer(Object key, long time);

    /** Deletes a processing-time timer (nothing when there is none). */
    void deleteProcessingTimer(Object key, long time);

    /** Asks for {@code onTimers} once the watermark reaches {@code time} (epoch milliseconds) for {@code key}. */
    void registerEventTimer(Object key, long time);

    /** Deletes an event-time timer (nothing when there is none). */
    void deleteEventTimer(Object key, long time);
}
