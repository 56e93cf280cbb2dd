package io.dataflare.polyglot.session;

import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.graalvm.polyglot.Value;

/**
 * Part of starting a context, before its first timed call: runs the batch loop over made-up records with a
 * stand-in for the script's function (never the script's own, which may have side effects), through the real
 * hand-over, results and {@code ctx.state} paths (the state writes are rolled back). GraalPy starts cold in a
 * new context: without this, a context's first batch took several times as long as the next ones (over a
 * second for 1,000 records on a loaded 2-core machine) and overran the default {@code timeout_ms} although
 * the script was trivial. Rounds repeat while they still get clearly faster (the first context of a JVM also
 * waits for the compilers to catch up), within {@link #MAX_ROUNDS} and {@link #BUDGET_NANOS}; a context of an
 * engine that is already warm mostly stops after two.
 */
final class ContextWarmup {
    static final int RECORDS = 64;
    static final int MAX_ROUNDS = 8;
    static final long BUDGET_NANOS = 5_000_000_000L;
    /** Every kind of field value that crosses the boundary. */
    static final RecordBatch SAMPLE = sample();

    private ContextWarmup() {
    }

    /**
     * Warms the paths a script of entry point {@code kind} ({@code process}, {@code map}...) takes, with the
     * driver's {@code warm(kind, emit, emitShape, keep)}.
     *
     * @return the rounds run
     */
    static int run(Value driverWarm, String kind, Function<Fields, Value> adder, BatchReceiver receiver, InstanceState state) {
        long start = System.nanoTime();
        long previous = 0;
        int rounds = 0;
        while (rounds < MAX_ROUNDS) {
            long t0 = System.nanoTime();
            receiver.begin(SAMPLE);
            try {
                for (int i = 0; i < SAMPLE.size(); i++) {
                    Record r = SAMPLE.get(i);
                    adder.apply(r.fields()).executeVoid(RecordEncoder.args(r));
                }
                driverWarm.executeVoid(kind, receiver.emit, receiver.emitShape, receiver.keep);
            } finally {
                receiver.abandon();
                if (state != null) state.rollback();
            }
            rounds++;
            long took = System.nanoTime() - t0;
            // stop once a round is no longer at least a quarter faster than the one before
            if ((rounds > 1 && took * 4 > previous * 3) || t0 + took - start > BUDGET_NANOS) break;
            previous = took;
        }
        return rounds;
    }

    private static RecordBatch sample() {
        List<Record> rs = new ArrayList<>(RECORDS);
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        for (int i = 0; i < RECORDS; i++) {
            rs.add(Record.builder().set("id", (long) i).set("amount", i + 0.5).set("name", "n" + i).set("flag", i % 2 == 0)
                    .set("none", null).set("at", t.plusSeconds(i)).set("raw", new byte[] {(byte) i})
                    .set("tags", List.of("a", (long) i)).set("attrs", Map.of("k", (long) i)).build());
        }
        return RecordBatch.of(rs);
    }
}
