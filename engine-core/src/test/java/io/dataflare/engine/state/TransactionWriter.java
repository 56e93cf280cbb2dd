package io.dataflare.engine.state;

import java.nio.file.Path;

/**
 * A separate process that commits numbered multi-key transactions to a file store until it is killed or has
 * committed transaction {@code LIMIT}, printing each number once it is committed: {@code TransactionWriter DIR
 * LIMIT}. Transaction n expects key {@code wf/a} at version n - 1 and log {@code history/run} to end at 2(n - 1),
 * and sets {@code wf/a}, {@code wf/b}, {@code timers/c} to {@link #value}(n), creates {@code wf/gone-n}, deletes
 * {@code wf/gone-(n-1)} and appends {@code n:1} and {@code n:2} to the log: {@link #check} tells whether a store
 * holds exactly the first n of them.
 */
public final class TransactionWriter {
    private TransactionWriter() {}

    public static void main(String[] args) {
        FileStateStore s = new FileStateStore(Path.of(args[0]));
        long limit = Long.parseLong(args[1]);
        long n = committed(s);
        while (n < limit) {
            n++;
            s.transaction()
                    .expectVersion("wf", "a", n - 1)
                    .expectLogEnd("history", "run", 2 * (n - 1))
                    .put("wf", "a", value(n))
                    .put("wf", "b", value(n))
                    .put("timers", "c", value(n))
                    .delete("wf", "gone-" + (n - 1))
                    .put("wf", "gone-" + n, "x")
                    .append("history", "run", n + ":1")
                    .append("history", "run", n + ":2")
                    .commit();
            System.out.println(n);
            System.out.flush();
        }
    }

    /** Big enough that applying a transaction takes a while, so that kills land in the middle of some. */
    static String value(long n) {
        return n + ":" + "x".repeat(50_000);
    }

    /** How many transactions the store holds (the version of {@code wf/a}). */
    static long committed(StateStore s) {
        return s.getVersioned("wf", "a").map(Versioned::version).orElse(0L);
    }
}
