package io.dataflare.engine.runtime;

import io.dataflare.engine.pipeline.ElasticParallelism;
import io.dataflare.engine.runtime.scale.Autoscaler;
import io.dataflare.engine.runtime.scale.ElasticStatus;
import io.dataflare.engine.runtime.scale.KeyGroupAssignment;
import io.dataflare.engine.runtime.scale.KeyGroupHandOver;
import io.dataflare.engine.runtime.scale.LoadRate;
import io.dataflare.engine.runtime.scale.ParallelismChange;
import io.dataflare.engine.runtime.scale.RescaleEvent;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A processor stage whose instances change while the run goes on. All its instances up to the declared
 * {@code max} exist from the start; the ones in use own the key groups (see {@link KeyGroupChannel}). A rescale
 * takes the run's barrier (sources parked, nothing in flight: every record read has reached the sinks), hands the
 * state of the key groups that change instance over, gives the groups to their new owners and lets the run go
 * on, so a key's records keep their order and none is lost or doubled. The autoscaler looks at the load rate
 * regularly and rescales on a thread of its own, so the run's scheduler is never held at the barrier.
 */
final class ElasticStage {
    private static final Logger LOG = LoggerFactory.getLogger(ElasticStage.class);
    /** How long a rescale waits for the quiet point. */
    private static final long QUIESCE_TIMEOUT_MS = 30_000;

    private final PipelineRun run;
    private final String stage;
    private final ElasticParallelism spec;
    private final KeyGroupChannel channel;
    private final RunBarrier barrier;
    private final LoadRate load;
    private final Autoscaler autoscaler;
    private final AtomicBoolean rescaling = new AtomicBoolean();
    private volatile int min;
    private volatile int max;
    private volatile boolean auto;
    private volatile double lastLoad;

    ElasticStage(PipelineRun run, String stage, ElasticParallelism spec, KeyGroupChannel channel, RunBarrier barrier) {
        this.run = run;
        this.stage = stage;
        this.spec = spec;
        this.channel = channel;
        this.barrier = barrier;
        this.load = new LoadRate(spec.autoscale().windowBatches());
        this.autoscaler = new Autoscaler(spec.autoscale());
        this.min = spec.min();
        this.max = spec.max();
        this.auto = spec.auto();
    }

    String stage() {
        return stage;
    }

    LoadRate load() {
        return load;
    }

    ElasticParallelism spec() {
        return spec;
    }

    int instances() {
        return channel.active();
    }

    /** The load rate now (also kept as the last one measured). */
    double loadRate() {
        double l = load.at(System.nanoTime(), channel.active(), channel.queuedRows());
        lastLoad = l;
        return l;
    }

    ElasticStatus status() {
        return new ElasticStatus(stage, channel.active(), min, max, auto, loadRate());
    }

    /** One look of the autoscaler (on the run's scheduler): a rescale it decides runs on a thread of its own. */
    void tick() {
        if (!auto || rescaling.get()) return;
        int current = channel.active();
        int floor = Math.max(min, Math.min(spec.initial(), max));
        int target = autoscaler.decide(loadRate(), current, floor, max, System.nanoTime());
        if (target == current || !rescaling.compareAndSet(false, true)) return;
        Thread.ofPlatform()
                .daemon(true)
                .name("df-" + run.name() + "-" + stage + "-rescale")
                .start(() -> {
                    try {
                        autoRescale(current, target);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        LOG.warn("stage '{}': rescaling to {} instances failed: {}", stage, target, e.getMessage());
                    } finally {
                        rescaling.set(false);
                    }
                });
    }

    /** The autoscaler's decision, unless an operator changed the stage meanwhile (then it is stale). */
    private synchronized void autoRescale(int from, int target) throws InterruptedException {
        if (!auto || channel.active() != from || target < min || target > max) return;
        rescale(target, "auto");
    }

    /**
     * Applies an operator's change: bounds and the autoscaler switch first, then the instances (an explicit
     * count, or the current one brought within the new bounds).
     *
     * @return the rescale, or null when the instances stay as they are
     * @throws IllegalArgumentException naming the field that is out of range
     */
    synchronized RescaleEvent change(ParallelismChange c) throws InterruptedException {
        int newMin = c.min() != null ? c.min() : min;
        int newMax = c.max() != null ? c.max() : max;
        if (newMin < 1) throw new IllegalArgumentException("min must be at least 1, found " + newMin);
        if (newMax > spec.max())
            throw new IllegalArgumentException("max must be at most " + spec.max() + " (the instances stage '" + stage
                    + "' was started with: parallelism.max), found " + newMax);
        if (newMax < newMin)
            throw new IllegalArgumentException("max (" + newMax + ") must be at least min (" + newMin + ")");
        int target = c.instances() != null ? c.instances() : Math.max(newMin, Math.min(newMax, channel.active()));
        if (target < newMin || target > newMax)
            throw new IllegalArgumentException(
                    "parallelism must be between " + newMin + " and " + newMax + ", found " + target);
        min = newMin;
        max = newMax;
        if (c.auto() != null) auto = c.auto();
        autoscaler.reset();
        return target == channel.active() ? null : rescale(target, "manual");
    }

    /**
     * Moves the stage to {@code target} instances at the run's barrier.
     *
     * @throws RescaleRefusedException when the run does not reach a quiet point in time
     */
    synchronized RescaleEvent rescale(int target, String reason) throws InterruptedException {
        int from = channel.active();
        if (target == from) return null;
        double decidedAt = lastLoad;
        barrier.enter();
        long t0 = System.nanoTime();
        int moved = 0;
        try {
            if (!barrier.quiesce(t0 + TimeUnit.MILLISECONDS.toNanos(QUIESCE_TIMEOUT_MS)))
                throw new RescaleRefusedException("stage '" + stage + "': the run did not reach a quiet point within "
                        + QUIESCE_TIMEOUT_MS + " ms (or is stopping): parallelism stays " + from);
            int[] before = channel.owners();
            int[] after = KeyGroupAssignment.owners(before.length, target);
            List<KeyGroupAssignment.Move> moves = KeyGroupAssignment.moves(before, after);
            KeyGroupHandOver handOver = run.keyGroupHandOver();
            for (int i = 0; i < moves.size(); i++) {
                KeyGroupAssignment.Move m = moves.get(i);
                try {
                    handOver.move(stage, m.groups(), m.from(), m.to());
                } catch (Exception e) {
                    moveBack(handOver, moves.subList(0, i));
                    throw new RescaleRefusedException("stage '" + stage + "': moving the state of key groups "
                            + m.groups() + " from instance " + m.from() + " to " + m.to() + " failed: "
                            + e.getMessage() + "; parallelism stays " + from);
                }
                moved += m.groups().size();
            }
            channel.reassign(after, target);
            load.clear();
            autoscaler.reset();
        } finally {
            barrier.leave();
        }
        RescaleEvent e = new RescaleEvent(stage, from, target, reason, decidedAt, moved, System.nanoTime() - t0);
        LOG.info(
                "pipeline '{}' stage '{}': {} -> {} instances ({}, load rate {}, {} key groups moved)",
                run.name(),
                stage,
                from,
                target,
                reason,
                String.format("%.2f", decidedAt),
                moved);
        run.rescaled(e);
        return e;
    }

    /** A rescale abandoned halfway gives the groups already handed over back, so state and routing agree. */
    private void moveBack(KeyGroupHandOver handOver, List<KeyGroupAssignment.Move> done) {
        for (KeyGroupAssignment.Move m : done) {
            try {
                handOver.move(stage, m.groups(), m.to(), m.from());
            } catch (Exception e) {
                run.fail(
                        stage,
                        new IllegalStateException(
                                "key groups " + m.groups() + " could not be moved back to instance " + m.from(), e));
            }
        }
    }
}
