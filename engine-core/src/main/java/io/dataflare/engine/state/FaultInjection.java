package io.dataflare.engine.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Crash-test hook: with {@code -Ddataflare.fault.halt-during-put=NAMESPACE:N} the JVM halts in the middle
 * of the N-th write to NAMESPACE in a {@link FileStateStore} (half the bytes written and forced, the
 * rename not done), as a kill during a checkpoint write would. Off unless the property is set.
 */
final class FaultInjection {
    private static final String PROPERTY = "dataflare.fault.halt-during-put";
    private static final String NAMESPACE;
    private static final int AT;
    private static final AtomicInteger PUTS = new AtomicInteger();

    static {
        String spec = System.getProperty(PROPERTY, "");
        int colon = spec.lastIndexOf(':');
        NAMESPACE = colon > 0 ? spec.substring(0, colon) : null;
        AT = colon > 0 ? Integer.parseInt(spec.substring(colon + 1)) : -1;
    }

    private FaultInjection() {}

    static void beforeStateWrite(String namespace, FileChannel ch, byte[] bytes) throws IOException {
        if (NAMESPACE == null || !NAMESPACE.equals(namespace) || PUTS.incrementAndGet() != AT) return;
        ch.write(ByteBuffer.wrap(bytes, 0, bytes.length / 2));
        ch.force(true);
        Runtime.getRuntime().halt(137);
    }
}
