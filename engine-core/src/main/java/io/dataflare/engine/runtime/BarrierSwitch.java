package io.dataflare.engine.runtime;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.policy.ErrorPolicy;
import io.dataflare.api.policy.KeyRouter;
import io.dataflare.api.policy.RetryPolicy;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.source.Source;
import io.dataflare.engine.pipeline.ComponentPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches sources, sinks and policies of a running pipeline to other plugin versions at a barrier. Their
 * instances are created first, while the run goes on; then the run is brought to a quiet point as for a
 * checkpoint (sources parked between batches, nothing in flight), and there each change is applied: a source's
 * new version seeks to the old one's position, a sink's new version restores the state the old one flushed to
 * (continuing its output), a policy is replaced in every worker, a key router in its stage's input (whose queues
 * are empty, so no key's records are reordered). A change that cannot be applied leaves the old version
 * running and says why. The pause is the time from asking the sources to park to letting them go.
 */
final class BarrierSwitch {
    private static final Logger LOG = LoggerFactory.getLogger(BarrierSwitch.class);
    /** How long the run may take to reach a quiet point before the switch gives up. */
    static final long QUIESCE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** {@code next} is to fill {@code slot}. */
    record Change(ComponentSlot slot, ComponentPlan next) {}

    /**
     * What became of a change.
     *
     * @param slot       where
     * @param from       the version before, as {@code id@version}
     * @param to         the version offered
     * @param pauseNanos how long the run was held at the barrier (0 when it never got there)
     * @param refused    why the old version keeps serving, or null when the new one took over
     * @param retryable  whether the refusal was about the moment, not the version (the run did not reach a
     *                   barrier in time, or was stopping): offering the same version again may work
     */
    record Outcome(ComponentSlot slot, String from, String to, long pauseNanos, String refused, boolean retryable) {
        boolean switched() {
            return refused == null;
        }
    }

    /** A change with the version it replaces and its instances created. */
    private record Prepared(Change change, String from, List<Object> instances) {}

    private final PipelineRun run;
    private final StageAssembler assembler;
    private final StageAssembler.Stages stages;
    private final SourceGate gate;
    private final RunBarrier barrier;

    BarrierSwitch(
            PipelineRun run,
            StageAssembler assembler,
            StageAssembler.Stages stages,
            SourceGate gate,
            RunBarrier barrier) {
        this.run = run;
        this.assembler = assembler;
        this.stages = stages;
        this.gate = gate;
        this.barrier = barrier;
    }

    /**
     * Applies {@code changes} at one barrier; one outcome per change. Each change that took is handed to
     * {@code adopted} before the run goes on, so that the next checkpoint already names the new version.
     */
    List<Outcome> apply(List<Change> changes, Consumer<Change> adopted) throws InterruptedException {
        List<Outcome> out = new ArrayList<>();
        List<Prepared> ready = new ArrayList<>();
        for (Change c : changes) {
            String from = c.slot().in(run.plan()).pluginLabel();
            try {
                ready.add(new Prepared(c, from, create(c)));
            } catch (Exception e) {
                out.add(outcome(c, from, 0, "its instance could not start: " + ErrorClassifier.message(e), false));
            }
        }
        if (ready.isEmpty()) return out;
        barrier.enter();
        long t0 = System.nanoTime();
        List<Prepared> applied = new ArrayList<>();
        List<Prepared> refused = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        try {
            if (!barrier.quiesce(t0 + QUIESCE_TIMEOUT_NANOS)) {
                String why = gate.stopRequested() || gate.cancelled() ? "the run is stopping" : notQuiet();
                for (Prepared p : ready) {
                    close(p.instances());
                    out.add(outcome(p.change(), p.from(), 0, why, true));
                }
                return out;
            }
            // where a pause goes: draining the queues (grows with queue_batches and a slow sink) or the hand-over
            LOG.debug("pipeline '{}': quiet after {} us", run.name(), (System.nanoTime() - t0) / 1000);
            for (Prepared p : ready) {
                try {
                    apply(p, t0);
                    adopted.accept(p.change());
                    applied.add(p);
                } catch (SwitchRefusedException e) {
                    close(p.instances());
                    refused.add(p);
                    reasons.add(e.getMessage());
                }
            }
        } finally {
            barrier.leave();
        }
        long pause = System.nanoTime() - t0;
        for (Prepared p : applied) out.add(outcome(p.change(), p.from(), pause, null, false));
        for (int i = 0; i < refused.size(); i++) {
            Prepared p = refused.get(i);
            out.add(outcome(p.change(), p.from(), pause, reasons.get(i), false));
        }
        return out;
    }

    /** Why the run did not reach a barrier in time: the sources that did not park, else the stages still busy. */
    private String notQuiet() {
        List<String> unparked = new ArrayList<>();
        for (String stage : gate.unparked())
            unparked.add("source '" + stage + "' ("
                    + run.plan().stage(stage).component().pluginLabel() + ")");
        return "the run did not reach a barrier within " + TimeUnit.NANOSECONDS.toSeconds(QUIESCE_TIMEOUT_NANOS)
                + " s: "
                + (unparked.isEmpty()
                        ? "batches were still in flight (a stage did not finish its batch)"
                        : String.join(", ", unparked) + " did not return from poll");
    }

    private static Outcome outcome(Change c, String from, long pause, String refused, boolean retryable) {
        return new Outcome(c.slot(), from, c.next().pluginLabel(), pause, refused, retryable);
    }

    /** The new instances of a change: one per worker for the retry and error policies, else one. */
    private List<Object> create(Change c) throws Exception {
        ComponentSlot slot = c.slot();
        List<Object> made = new ArrayList<>();
        try {
            switch (slot.kind()) {
                case SOURCE -> made.add(assembler.instantiate(c.next(), Source.class, slot.stage(), 0, 1));
                case SINK -> made.add(assembler.instantiate(c.next(), Sink.class, slot.stage(), 0, 1));
                case KEY_ROUTER -> made.add(assembler.instantiate(c.next(), KeyRouter.class, slot.stage(), 0, 1));
                case RETRY_POLICY, ERROR_POLICY -> {
                    boolean retry = slot.kind() == ComponentKind.RETRY_POLICY;
                    for (StageAssembler.PolicyUser u : stages.policyUsers()) {
                        if (!retry && !u.usesErrorPolicy()) continue;
                        Class<?> type = retry ? RetryPolicy.class : ErrorPolicy.class;
                        made.add(assembler.instantiate(c.next(), type, u.stage(), u.instance(), u.instances()));
                    }
                }
                default -> throw new IllegalArgumentException(slot.describe() + " does not switch at a barrier");
            }
        } catch (Exception e) {
            close(made);
            throw e;
        }
        return made;
    }

    /** Applies one change while the run is quiet. */
    private void apply(Prepared p, long t0) throws SwitchRefusedException, InterruptedException {
        ComponentSlot slot = p.change().slot();
        String label = p.change().next().pluginLabel();
        switch (slot.kind()) {
            case SOURCE -> {
                SourceWorker w = null;
                for (SourceWorker s : gate.sources()) {
                    if (s.stage.equals(slot.stage())) w = s;
                }
                if (w == null) throw new SwitchRefusedException("the source has ended");
                w.handOver((Source) p.instances().get(0), label);
            }
            case SINK -> handOverSink(slot, (Sink) p.instances().get(0), label, t0);
            case KEY_ROUTER -> {
                if (!(stages.inputs().get(slot.stage()) instanceof RoutedChannel ch)) {
                    throw new SwitchRefusedException("the stage does not route by key");
                }
                closeQuietly(ch.router((KeyRouter) p.instances().get(0)));
            }
            case RETRY_POLICY, ERROR_POLICY -> {
                boolean retry = slot.kind() == ComponentKind.RETRY_POLICY;
                int i = 0;
                for (StageAssembler.PolicyUser u : stages.policyUsers()) {
                    if (!retry && !u.usesErrorPolicy()) continue;
                    Object next = p.instances().get(i++);
                    closeQuietly(
                            retry
                                    ? u.handler().retry((RetryPolicy) next)
                                    : u.handler().errors((ErrorPolicy) next));
                    u.handler().plugin(label);
                }
            }
            default -> throw new SwitchRefusedException(slot.describe() + " does not switch at a barrier");
        }
    }

    /** Sends the sink its hand-over and waits until it took it, or gives up on it (the sink ended or hangs). */
    private void handOverSink(ComponentSlot slot, Sink next, String label, long t0)
            throws SwitchRefusedException, InterruptedException {
        Channel in =
                slot.deadLetter() ? stages.deadLetterInput() : stages.inputs().get(slot.stage());
        if (in == null || stages.sinks().get(slot.stage()) == null) throw new SwitchRefusedException("no such sink");
        SinkWorker.HandOver h = new SinkWorker.HandOver(next, label);
        in.control(h);
        try {
            long left = t0 + QUIESCE_TIMEOUT_NANOS - System.nanoTime();
            try {
                h.done.get(Math.max(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (h.claim()) throw new SwitchRefusedException("the sink did not take the new version in time");
                h.done.get(); // the sink is handing over right now: its outcome is the switch's
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof SwitchRefusedException r
                    ? r
                    : new SwitchRefusedException(ErrorClassifier.message(e.getCause()));
        }
    }

    private static void close(List<Object> instances) {
        for (Object o : instances) closeQuietly(o);
    }

    private static void closeQuietly(Object o) {
        if (o instanceof AutoCloseable c) StageAssembler.closeQuietly(c);
    }
}
