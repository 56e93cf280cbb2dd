package io.dataflare.plugins.tcp;

/**
 * Waits between connection attempts: {@code initialMs}, doubling up to {@code maxMs}, for at most
 * {@code attempts} failures in a row.
 */
final class Backoff {
    private final long initialMs;
    private final long maxMs;
    private final int attempts;
    private int failures;

    Backoff(long initialMs, long maxMs, int attempts) {
        this.initialMs = initialMs;
        this.maxMs = Math.max(initialMs, maxMs);
        this.attempts = attempts;
    }

    /** A connection worked: the next failure waits {@code initialMs} again. */
    void reset() {
        failures = 0;
    }

    /** One more failure: false when that was the last allowed attempt, else waits and returns true. */
    boolean failedThenWait() throws InterruptedException {
        failures++;
        if (failures >= attempts) return false;
        long wait = initialMs << Math.min(failures - 1, 30);
        Thread.sleep(Math.min(wait < 0 ? maxMs : wait, maxMs));
        return true;
    }

    /** Waits the first step, as between two connections that each worked. */
    void pause() throws InterruptedException {
        Thread.sleep(initialMs);
    }

    int failures() {
        return failures;
    }
}
