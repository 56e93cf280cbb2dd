package io.dataflare.engine.runtime;

import io.dataflare.api.data.RecordBatch;
import java.util.List;

/** The output of a stage: sends each batch to every downstream stage (fan-out shares the immutable batch). */
final class Emitter {
    private final Channel[] targets;
    private final StageStats stats;

    Emitter(List<Channel> targets, StageStats stats) {
        this.targets = targets.toArray(new Channel[0]);
        this.stats = stats;
    }

    void emit(RecordBatch batch) throws InterruptedException {
        if (batch.size() == 0) return;
        stats.recordsOut.add(batch.size());
        for (Channel c : targets) c.send(batch);
        if (targets.length > 1) stats.derived.add((long) batch.size() * (targets.length - 1));
    }

    void done() throws InterruptedException {
        for (Channel c : targets) c.producerDone();
    }
}
