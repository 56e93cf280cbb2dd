package io.dataflare.engine.state;

/**
 * An exclusive lock on one pipeline's (or task's) state, held for the length of a run so that two runs
 * never write one checkpoint and one set of outputs at once. The lock is released by {@link #close()},
 * and by the operating system or the database when its process dies: a killed run never blocks the next.
 */
public interface StateLock extends AutoCloseable {
    /** The locked name. */
    String name();

    /** Releases the lock; idempotent. */
    @Override
    void close();
}
