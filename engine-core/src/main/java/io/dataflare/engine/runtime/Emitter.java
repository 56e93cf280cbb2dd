package io.dataflare.engine.runtime;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * The output of a stage: sends each batch to every downstream stage (fan-out shares the immutable batch).
 * A processor with named outputs emits only to them: each record goes to the stages reading the output it
 * was added to ({@code from: router.high}), a record added to two outputs once to each. A record for an
 * output the stage does not have fails the run rather than vanish.
 */
final class Emitter {
    private final String stage;
    private final Channel[] main;
    private final Map<String, Channel[]> named;
    private final Map<String, LongAdder> perOutput;
    /** Every channel once: the end of output is signalled once per channel, as its producer count expects. */
    private final Channel[] all;

    private final StageStats stats;

    /**
     * @param stage  the stage, for errors
     * @param main   the stages reading its main output
     * @param named  the stages reading each named output (empty when it has none)
     */
    Emitter(String stage, List<Channel> main, Map<String, List<Channel>> named, StageStats stats) {
        this.stage = stage;
        this.main = main.toArray(new Channel[0]);
        this.named = new LinkedHashMap<>();
        this.perOutput = new LinkedHashMap<>();
        Set<Channel> every = new LinkedHashSet<>(main);
        for (Map.Entry<String, List<Channel>> e : named.entrySet()) {
            this.named.put(e.getKey(), e.getValue().toArray(new Channel[0]));
            this.perOutput.put(e.getKey(), stats.output(e.getKey()));
            every.addAll(e.getValue());
        }
        this.all = every.toArray(new Channel[0]);
        this.stats = stats;
    }

    /** The run's memory budget: every batch emitted is measured (processors may make records larger). */
    private ResourceBudget budget;

    Emitter budget(ResourceBudget b) {
        this.budget = b;
        return this;
    }

    /** Emits a batch that did not come from a source read (timer output, end-of-input output): not measured. */
    void emit(RecordBatch batch) throws InterruptedException {
        emit(batch, TimedBatch.UNTIMED);
    }

    /** Emits a batch whose records the source read at {@code readNanos} ({@link System#nanoTime()}). */
    void emit(RecordBatch batch, long readNanos) throws InterruptedException {
        if (budget != null) budget.measure(stage, batch);
        if (batch.size() == 0) return;
        if (!named.isEmpty()) {
            emitNamed(batch, readNanos);
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            if (batch.output(i) != null) {
                throw new IllegalStateException("stage '" + stage + "' emitted a record to output '" + batch.output(i)
                        + "', but its plugin declares no named outputs");
            }
        }
        stats.recordsOut.add(batch.size());
        for (Channel c : main) c.send(batch, readNanos);
        if (main.length > 1) stats.derived.add((long) batch.size() * (main.length - 1));
    }

    private void emitNamed(RecordBatch batch, long readNanos) throws InterruptedException {
        Map<String, RecordBatch.Builder> parts = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            String o = batch.output(i);
            if (o == null || !named.containsKey(o)) {
                throw new IllegalStateException("stage '" + stage + "' emitted a record "
                        + (o == null ? "without an output" : "to output '" + o + "'") + ", but its outputs are "
                        + String.join(", ", named.keySet()));
            }
            Record r = batch.get(i);
            parts.computeIfAbsent(o, k -> RecordBatch.builder(batch.size())).add(r);
        }
        stats.recordsOut.add(batch.size());
        for (Map.Entry<String, RecordBatch.Builder> e : parts.entrySet()) {
            RecordBatch part = e.getValue().build();
            perOutput.get(e.getKey()).add(part.size());
            Channel[] targets = named.get(e.getKey());
            for (Channel c : targets) c.send(part, readNanos);
            if (targets.length > 1) stats.derived.add((long) part.size() * (targets.length - 1));
        }
    }

    void done() throws InterruptedException {
        for (Channel c : all) c.producerDone();
    }
}
