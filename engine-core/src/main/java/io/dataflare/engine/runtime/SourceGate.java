package io.dataflare.engine.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * Where a run's sources wait between batches. The gate is closed while the run is paused and while a
 * checkpoint has the sources parked, and for good once the run stops or is cancelled; it also tells a
 * source to end its batch early when one of those is pending. Pausing and resuming move the run between
 * RUNNING and PAUSED under the gate's lock, so that the listeners hear of them in order.
 */
final class SourceGate {
    private final AtomicReference<PipelineState> state;
    private final BiConsumer<PipelineState, PipelineState> changed;
    private final List<SourceWorker> sources = new ArrayList<>();
    private final List<SourceWorker> ended = new ArrayList<>();
    private boolean parkRequested;
    private int parked;
    private int active;
    private volatile boolean yield;
    private volatile boolean paused;
    private volatile boolean stopRequested;
    private volatile boolean idleStop;
    private volatile boolean cancelled;

    /**
     * @param state   the run's state, which pause and resume change
     * @param changed tells the run's listeners of a change of {@code state}
     */
    SourceGate(AtomicReference<PipelineState> state, BiConsumer<PipelineState, PipelineState> changed) {
        this.state = state;
        this.changed = changed;
    }

    /** Adds a source worker (while the run is assembled, before any thread starts). */
    synchronized void add(SourceWorker w) {
        sources.add(w);
        active++;
    }

    /** The source workers, in stage order. */
    synchronized List<SourceWorker> sources() {
        return List.copyOf(sources);
    }

    /** RUNNING to PAUSED: sources stop at their next batch boundary. */
    synchronized void pause() {
        if (state.compareAndSet(PipelineState.RUNNING, PipelineState.PAUSED)) {
            paused = true;
            changed.accept(PipelineState.RUNNING, PipelineState.PAUSED);
        }
    }

    /** PAUSED to RUNNING. */
    synchronized void resume() {
        if (state.compareAndSet(PipelineState.PAUSED, PipelineState.RUNNING)) {
            paused = false;
            notifyAll();
            changed.accept(PipelineState.PAUSED, PipelineState.RUNNING);
        }
    }

    /** Closes the gate for good: sources end at their next batch boundary. */
    void stop() {
        stopRequested = true;
        yield = true;
        synchronized (this) {
            notifyAll();
        }
    }

    /**
     * Closes the gate for good because the sources went quiet: like {@link #stop()}, but the run then ends
     * COMPLETED, as an exhausted bounded run would.
     */
    void stopIdle() {
        idleStop = true;
        stop();
    }

    /** Whether the run was stopped by {@link #stopIdle()}. */
    boolean idleStop() {
        return idleStop;
    }

    /** Whether the run is paused (an idle run that is paused is not idle). */
    boolean paused() {
        return paused;
    }

    /** The run is being cancelled (or failed): sources waiting at the gate leave now. */
    void cancel() {
        cancelled = true;
        synchronized (this) {
            notifyAll();
        }
    }

    boolean stopRequested() {
        return stopRequested;
    }

    boolean cancelled() {
        return cancelled;
    }

    /**
     * Where a source waits between batches: returns false when the run stops; blocks while the run is
     * paused or a checkpoint has parked the sources.
     */
    synchronized boolean pass(SourceWorker w) throws InterruptedException {
        while (true) {
            if (stopRequested || cancelled) return false;
            if (parkRequested) {
                if (!w.parked) {
                    w.parked = true;
                    parked++;
                    notifyAll();
                }
            } else if (!paused) {
                return true;
            }
            wait();
        }
    }

    /** The stages of the sources still running that have not parked yet (in the middle of a batch, or of a poll). */
    synchronized List<String> unparked() {
        List<String> out = new ArrayList<>();
        for (SourceWorker w : sources) {
            if (!w.parked && !ended.contains(w)) out.add(w.stage);
        }
        return out;
    }

    /** Whether {@code w} waits at the gate for a barrier (it is still active and between two batches). */
    synchronized boolean isParked(SourceWorker w) {
        return parkRequested && w.parked;
    }

    /** A source worker ended (exhausted, stopped or failed): it no longer needs parking. */
    synchronized void finished(SourceWorker w) {
        ended.add(w);
        active--;
        if (w.parked) parked--;
        w.parked = false;
        notifyAll();
    }

    /** Asks every source to stop at its next batch boundary, for a checkpoint. */
    synchronized void park() {
        parkRequested = true;
        yield = true;
        notifyAll();
    }

    /** Waits until every active source is parked; false on stop, cancel or deadline. */
    synchronized boolean awaitParked(long deadlineNanos) throws InterruptedException {
        while (parked < active) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0 || stopRequested || cancelled) return false;
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
        return true;
    }

    /** Lets parked sources go on. */
    synchronized void release() {
        parkRequested = false;
        parked = 0;
        for (SourceWorker w : sources) w.parked = false;
        yield = stopRequested || paused;
        notifyAll();
    }

    /** Whether a source should end its batch early (stop, pause or checkpoint pending). */
    boolean shouldYield() {
        return yield || paused || cancelled;
    }
}
