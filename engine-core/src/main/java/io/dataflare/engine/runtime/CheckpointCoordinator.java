package io.dataflare.engine.runtime;

import io.dataflare.engine.checkpoint.Checkpoint;
import io.dataflare.engine.checkpoint.CheckpointStore;
import io.dataflare.engine.state.keyed.RunStates;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a run's checkpoints, every {@code runtime.checkpoint_interval_ms}: parks the sources between two
 * batches, waits until nothing is in flight (every record read has reached the sinks), sends each sink a
 * barrier so that it flushes and reports its state (file lengths), then saves the sources' positions and
 * the sinks' states as one checkpoint, tells each sink that it is saved ({@code Sink.commit}: a transactional
 * sink commits the transaction it prepared) and each source ({@code Source.commit}), and lets the sources go
 * on. The stall lasts as long as draining the queues: bounded, like the queues. While the run is quiesced the
 * keyed state of every stage instance is snapshotted too, and the checkpoint names the snapshot: positions,
 * sink states and keyed state are saved as one, so a resume never pairs positions with another cut's state.
 *
 * <p>At a graceful end each sink flushes and reports its final state; once every sink has, the final
 * checkpoint is saved right away (a completed run deletes it again when it finishes) and the sinks commit
 * before they are closed: a sink never makes output final that no saved checkpoint covers.
 */
final class CheckpointCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointCoordinator.class);
    private static final long QUIESCE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** Sent to every sink: flush and report your state. */
    record Barrier(long id) {}

    /** Sent to every sink after checkpoint {@code id} was saved: make your output up to it final. */
    record Commit(long id) {}

    private final PipelineRun run;
    private final SourceGate gate;
    private final RunBarrier barrier;
    private final CheckpointStore store;
    private final String key;
    private final String origin;
    /** Changes when a source or sink switches plugin versions: a resume then expects the new one. */
    private volatile Map<String, String> fingerprint;

    private final long intervalMs;
    private final Map<String, Channel> sinkInputs;
    private final Clock clock;
    private final Map<String, Map<String, Object>> sinkStates = new HashMap<>();
    private final Map<String, Map<String, Object>> finalSinkStates = new HashMap<>();
    /** The sinks whose answer to the current barrier is awaited (guarded by {@code finalSinkStates}). */
    private final Set<String> awaiting = new HashSet<>();
    /** The sinks whose commit of the current checkpoint is awaited (guarded by {@code finalSinkStates}). */
    private final Set<String> awaitingCommit = new HashSet<>();

    private long nextId;
    private CountDownLatch acks = new CountDownLatch(0);
    private CountDownLatch commitAcks = new CountDownLatch(0);
    /** Completes once every sink reported its final state: true when the sinks may commit. */
    private final CompletableFuture<Boolean> finalCommit = new CompletableFuture<>();
    /** Orders saves: a periodic checkpoint and the final one may meet at the end of the input. */
    private final Object saveLock = new Object();

    private boolean finalSaved;
    /** The run's keyed state, or null. */
    private volatile RunStates states;

    private boolean warnedPositionless;
    private Thread thread;

    CheckpointCoordinator(
            PipelineRun run,
            SourceGate gate,
            RunBarrier barrier,
            CheckpointStore store,
            String key,
            String origin,
            Map<String, String> fingerprint,
            long intervalMs,
            long nextId,
            Map<String, Channel> sinkInputs,
            Clock clock) {
        this.run = run;
        this.gate = gate;
        this.barrier = barrier;
        this.store = store;
        this.key = key;
        this.origin = origin;
        this.fingerprint = Map.copyOf(fingerprint);
        this.intervalMs = intervalMs;
        this.nextId = nextId;
        this.sinkInputs = Map.copyOf(sinkInputs);
        this.clock = clock;
    }

    /** The run's keyed state, snapshotted with every checkpoint. */
    void keyedState(RunStates states) {
        this.states = states;
    }

    void start() {
        if (intervalMs <= 0) return;
        thread = Thread.ofPlatform()
                .daemon(true)
                .name("df-" + run.name() + "-checkpoints")
                .start(this::loop);
    }

    void stop() {
        if (thread != null) thread.interrupt();
    }

    private void loop() {
        try {
            while (!run.state().isTerminal() && !gate.stopRequested()) {
                Thread.sleep(intervalMs);
                if (gate.stopRequested() || gate.cancelled()) return;
                checkpoint();
            }
        } catch (InterruptedException e) {
            // the run is over
        }
    }

    /** Takes one checkpoint now; returns whether it was saved. */
    boolean checkpoint() throws InterruptedException {
        if (!positionsKnown()) return false;
        long deadline = System.nanoTime() + QUIESCE_TIMEOUT_NANOS;
        barrier.enter();
        try {
            if (!barrier.quiesce(deadline)) return false;
            long id = nextId;
            synchronized (sinkStates) {
                sinkStates.clear();
            }
            // A sink that reached the end of its input (waiting for the others, e.g. one still draining its
            // spool) reads no more barriers: its final state stands in for its answer.
            Map<String, Map<String, Object>> ended;
            synchronized (finalSinkStates) {
                ended = new HashMap<>(finalSinkStates);
                awaiting.clear();
                for (String sink : sinkInputs.keySet()) if (!ended.containsKey(sink)) awaiting.add(sink);
                acks = new CountDownLatch(awaiting.size());
            }
            for (Map.Entry<String, Channel> c : sinkInputs.entrySet())
                if (!ended.containsKey(c.getKey())) c.getValue().control(new Barrier(id));
            if (!acks.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                LOG.warn("pipeline '{}': checkpoint {} skipped: sinks did not flush within a minute", run.name(), id);
                return false;
            }
            if (gate.cancelled()) return false;
            Map<String, Map<String, Object>> sinks;
            synchronized (sinkStates) {
                sinks = new TreeMap<>(sinkStates);
            }
            ended.forEach((k, v) -> {
                if (v != null) sinks.put(k, v);
            });
            Checkpoint c;
            synchronized (saveLock) {
                if (finalSaved) return false; // the input ended meanwhile: the final checkpoint covers it
                Map<String, List<String>> state = snapshotState(id);
                if (state == null && states != null && !states.isEmpty()) return false;
                c = new Checkpoint(id, key, clock.instant(), positions(), sinks, origin, fingerprint, state);
                if (!save(c)) return false;
                nextId = id + 1;
            }
            // A sink that ended commits with the final checkpoint instead.
            List<String> committing;
            synchronized (finalSinkStates) {
                awaitingCommit.clear();
                for (String sink : sinkInputs.keySet())
                    if (!finalSinkStates.containsKey(sink)) awaitingCommit.add(sink);
                committing = List.copyOf(awaitingCommit);
                commitAcks = new CountDownLatch(committing.size());
            }
            for (String sink : committing) sinkInputs.get(sink).control(new Commit(id));
            // A sink that ended meanwhile commits with the final checkpoint instead and never answers.
            if (!commitAcks.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                LOG.warn("pipeline '{}': not every sink committed checkpoint {} within a minute", run.name(), id);
            }
            for (SourceWorker s : gate.sources())
                s.committed(c.sources().get(s.stage)); // still parked: never during a poll
            return true;
        } finally {
            barrier.leave();
        }
    }

    /** The run now uses other plugin versions for its sources or sinks: later checkpoints say so. */
    void fingerprint(Map<String, String> now) {
        fingerprint = Map.copyOf(now);
    }

    /** A sink has flushed for barrier {@code id}; {@code state} may be null (it cannot restore). */
    void acknowledge(String sink, Map<String, Object> state) {
        synchronized (sinkStates) {
            if (state != null) sinkStates.put(sink, state);
        }
        synchronized (finalSinkStates) {
            if (awaiting.remove(sink)) acks.countDown();
        }
    }

    /** A sink has made its output of checkpoint {@code id} final (or failed to: the run fails then). */
    void committed(String sink) {
        synchronized (finalSinkStates) {
            if (awaitingCommit.remove(sink)) commitAcks.countDown();
        }
    }

    /**
     * A sink reached the end of its input and flushed; its state for the final checkpoint. Waits until
     * every sink has, then returns whether the sink may make its output final: true once the final
     * checkpoint is saved (or when no checkpoint can be taken, the sources giving no positions), false when
     * the run was cancelled or failed meanwhile (the next run replays from the last saved checkpoint).
     */
    boolean finalState(String sink, Map<String, Object> state) throws InterruptedException {
        boolean last;
        synchronized (finalSinkStates) {
            finalSinkStates.put(sink, state);
            last = finalSinkStates.size() == sinkInputs.size();
            // A barrier or commit sent just before the sink ended stays unread: its final state answers the
            // barrier, and it commits with the final checkpoint instead.
            if (awaiting.remove(sink)) {
                synchronized (sinkStates) {
                    if (state != null) sinkStates.put(sink, state);
                }
                acks.countDown();
            }
            if (awaitingCommit.remove(sink)) commitAcks.countDown();
        }
        if (last) finalCommit.complete(saveFinal());
        try {
            return finalCommit.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private boolean saveFinal() {
        if (gate.cancelled() || run.state().isTerminal()) return false;
        if (!positionsKnown()) return true; // no checkpoints: the output is final at the end, as without a store
        Map<String, Map<String, Object>> sinks = new TreeMap<>();
        synchronized (finalSinkStates) {
            finalSinkStates.forEach((k, v) -> {
                if (v != null) sinks.put(k, v);
            });
        }
        synchronized (saveLock) {
            long id = nextId++;
            Map<String, List<String>> state = snapshotState(id);
            if (state == null && states != null && !states.isEmpty()) return false;
            finalSaved = save(new Checkpoint(id, key, clock.instant(), positions(), sinks, origin, fingerprint, state));
            return finalSaved;
        }
    }

    /**
     * Snapshots the keyed state for checkpoint {@code id} (the run is quiesced, or at its end); null when the
     * run has none, or when the snapshot failed (logged: the checkpoint is then skipped).
     */
    private Map<String, List<String>> snapshotState(long id) {
        RunStates s = states;
        if (s == null || s.isEmpty()) return null;
        try {
            return s.snapshot(id);
        } catch (RuntimeException e) {
            s.discarded();
            LOG.error(
                    "pipeline '{}': keyed state for checkpoint {} could not be written: {}",
                    run.name(),
                    id,
                    e.getMessage());
            return null;
        }
    }

    /** A completed run leaves nothing to resume. */
    void completed() {
        store.delete(key);
        RunStates s = states;
        if (s != null) s.deleteAll();
    }

    private boolean save(Checkpoint c) {
        RunStates s = states;
        try {
            store.save(c);
            LOG.debug("pipeline '{}': checkpoint {} saved", run.name(), c.id());
            if (s != null) s.saved(c.state());
            run.checkpointed(c.id(), c.createdAt());
            return true;
        } catch (RuntimeException e) {
            if (s != null) s.discarded();
            // The previous checkpoint stays valid: a crash now replays more, loses nothing.
            LOG.error("pipeline '{}': checkpoint {} could not be saved: {}", run.name(), c.id(), e.getMessage());
            return false;
        }
    }

    private Map<String, Map<String, Object>> positions() {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        for (SourceWorker s : gate.sources()) {
            if (s.position() != null) out.put(s.stage, s.position());
        }
        return out;
    }

    private boolean positionsKnown() {
        for (SourceWorker s : gate.sources()) {
            if (s.positionless()) {
                if (!warnedPositionless) {
                    warnedPositionless = true;
                    LOG.warn(
                            "pipeline '{}': source '{}' gives no positions, so no checkpoints are taken",
                            run.name(),
                            s.stage);
                }
                return false;
            }
        }
        return true;
    }
}
