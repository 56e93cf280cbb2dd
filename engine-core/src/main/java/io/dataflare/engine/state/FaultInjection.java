package io.dataflare.engine.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Crash-test hooks, off unless their property is set; each halts the JVM (exit code 137) the way a kill
 * would:
 *
 * <ul>
 *   <li>{@code -Ddataflare.fault.halt-during-put=NAMESPACE:N}: in the middle of the N-th write to NAMESPACE in
 *       a {@link FileStateStore} (half the bytes written and forced, the rename not done), as a kill during a
 *       checkpoint write would;
 *   <li>{@code -Ddataflare.fault.halt-during-transaction=redo:N}: in the middle of writing the redo file of the
 *       N-th transaction of several writes (half of it written and forced, not renamed: not committed);
 *   <li>{@code -Ddataflare.fault.halt-during-transaction=apply:N}: after the redo file of the N-th such
 *       transaction is committed and its first write applied, the others not.
 * </ul>
 */
final class FaultInjection {
    private static final Spec PUT = Spec.of("dataflare.fault.halt-during-put");
    private static final Spec TRANSACTION = Spec.of("dataflare.fault.halt-during-transaction");
    private static final AtomicInteger PUTS = new AtomicInteger();
    private static final AtomicInteger REDOS = new AtomicInteger();
    private static final AtomicInteger APPLIES = new AtomicInteger();

    /** {@code NAME:N} of a property, or nulls when it is not set. */
    private record Spec(String name, int at) {
        static Spec of(String property) {
            String spec = System.getProperty(property, "");
            int colon = spec.lastIndexOf(':');
            return colon > 0
                    ? new Spec(spec.substring(0, colon), Integer.parseInt(spec.substring(colon + 1)))
                    : new Spec(null, -1);
        }

        boolean is(String what, AtomicInteger counter) {
            return what.equals(name) && counter.incrementAndGet() == at;
        }
    }

    private FaultInjection() {}

    static void beforeStateWrite(String namespace, FileChannel ch, byte[] bytes) throws IOException {
        if (PUT.is(namespace, PUTS)) halfAndHalt(ch, bytes);
    }

    static void duringRedoWrite(FileChannel ch, byte[] bytes) throws IOException {
        if (TRANSACTION.is("redo", REDOS)) halfAndHalt(ch, bytes);
    }

    /** Called after the first write of a committed transaction was applied. */
    static void afterFirstApply() {
        if (TRANSACTION.is("apply", APPLIES)) Runtime.getRuntime().halt(137);
    }

    private static void halfAndHalt(FileChannel ch, byte[] bytes) throws IOException {
        ch.write(ByteBuffer.wrap(bytes, 0, bytes.length / 2));
        ch.force(true);
        Runtime.getRuntime().halt(137);
    }
}
