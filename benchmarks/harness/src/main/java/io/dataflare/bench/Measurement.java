package io.dataflare.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The measured rounds of one row: records/s per round, and the heap peak seen. */
final class Measurement {
    final String row;
    final String unavailable;
    final List<Double> recordsPerSecond = new ArrayList<>();
    long heapPeakBytes;
    long records;

    Measurement(String row, String unavailable) {
        this.row = row;
        this.unavailable = unavailable;
    }

    void add(long records, long nanos, long heapPeak) {
        this.records = records;
        recordsPerSecond.add(records / (nanos / 1e9));
        heapPeakBytes = Math.max(heapPeakBytes, heapPeak);
    }

    boolean measured() {
        return !recordsPerSecond.isEmpty();
    }

    double median() {
        List<Double> s = new ArrayList<>(recordsPerSecond);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    double min() {
        return Collections.min(recordsPerSecond);
    }

    double max() {
        return Collections.max(recordsPerSecond);
    }
}
