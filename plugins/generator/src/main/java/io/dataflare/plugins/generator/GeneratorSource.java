package io.dataflare.plugins.generator;

import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.source.Source;
import java.util.Map;

/**
 * Emits records with ids {@code start}, {@code start + 1}, ... in order; {@code count} of them, or
 * without end when {@code count} is -1. Each batch carries the position {@code {next: id}}.
 */
final class GeneratorSource implements Source {
    static final String NEXT = "next";

    private final SyntheticRecords records;
    private final long start;
    private final long end;
    private long next;

    /** @param count how many records, or -1 for no end */
    GeneratorSource(SyntheticRecords records, long start, long count) {
        this.records = records;
        this.start = start;
        this.end = count < 0 ? Long.MAX_VALUE : start + count;
        this.next = start;
    }

    @Override
    public void seek(Map<String, Object> position) {
        if (!(position.get(NEXT) instanceof Number n)) {
            throw new IllegalArgumentException("a generator position needs 'next', got " + position);
        }
        long id = n.longValue();
        if (id < start || id > end) {
            throw new IllegalArgumentException("position next=" + id + " is outside " + start + ".." + end);
        }
        next = id;
    }

    @Override
    public RecordBatch poll(int maxRecords) {
        if (next >= end) return null;
        int n = (int) Math.min(Math.max(maxRecords, 1), end - next);
        RecordBatch.Builder b = RecordBatch.builder(n);
        for (int i = 0; i < n; i++) b.add(records.record(next++));
        return b.position(Map.of(NEXT, next)).build();
    }
}
