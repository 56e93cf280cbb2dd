package io.dataflare.polyglot.session;

import io.dataflare.api.data.RecordBatch;
import org.graalvm.polyglot.Value;

/**
 * Part of starting a context, before its first timed call: runs the batch loop over the first records of the
 * first batch with a stand-in for the script's function (never the script's own, which may have side effects),
 * through the hand-over, results and {@code ctx.state} paths (the state writes are rolled back, the results
 * dropped). It runs in the context's copy of the driver, whose code and type profiles the real batch loop does
 * not share, and on the batch's own records: stand-ins in the real loop's profiles cost the JIT 10 to 40% of
 * its throughput, made-up records of other types in the host's conversion code about 7%. GraalPy starts
 * cold in a new context: without this, a context's first batch took several times as long as the next ones
 * (over a second for 1,000 records on a loaded 2-core machine) and overran the default {@code timeout_ms}
 * although the script was trivial. Rounds repeat while they still get clearly faster (the first context of a
 * JVM also waits for the compilers to catch up), within {@link #MAX_ROUNDS} and {@link #BUDGET_NANOS}; a
 * context of an engine that is already warm mostly stops after two.
 */
final class ContextWarmup {
    /** The records of the first batch a round runs (all when it has fewer). */
    static final int RECORDS = 64;

    static final int MAX_ROUNDS = 8;
    static final long BUDGET_NANOS = 5_000_000_000L;

    private ContextWarmup() {}

    /**
     * Warms the paths a script of entry point {@code kind} ({@code process}, {@code map}...) takes with the
     * records of {@code batch}, through {@code driver}, the context's warm-up copy of the driver (its
     * {@code shape} and {@code warm(kind, emit, emitShape, keep, count)}).
     *
     * @return the rounds run
     */
    static int run(Value driver, String kind, RecordBatch batch, BatchReceiver receiver, InstanceState state) {
        int n = Math.min(RECORDS, batch.size());
        Value warm = driver.getMember("warm");
        RecordHandOver handOver = new RecordHandOver(driver);
        long start = System.nanoTime();
        long previous = 0;
        int rounds = 0;
        while (rounds < MAX_ROUNDS) {
            long t0 = System.nanoTime();
            receiver.begin(batch);
            try {
                handOver.add(batch, n);
                warm.executeVoid(kind, receiver.emit, receiver.emitShape, receiver.keep, n);
            } finally {
                handOver.clear();
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
}
