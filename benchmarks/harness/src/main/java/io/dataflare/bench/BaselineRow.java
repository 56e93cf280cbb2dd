package io.dataflare.bench;

import io.dataflare.api.data.Record;
import java.nio.file.Path;

/**
 * The hand-written loop with the transform in plain Java (no threads, no queues, no plugin loading): what
 * the engine's overhead is measured against.
 */
final class BaselineRow implements Row {
    @Override
    public String name() {
        return "baseline";
    }

    @Override
    public long run(Path input, Path outDir) throws Exception {
        return HandLoop.run(input, outDir.resolve("baseline.jsonl"), BaselineRow::transform);
    }

    static Record transform(Record r) {
        Long id = (Long) r.get("id");
        return id == null ? r : r.toBuilder().set("n2", id * 2).build();
    }
}
