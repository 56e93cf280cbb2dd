package io.dataflare.cli;

/**
 * Where a command's stop signals (Ctrl-C, SIGTERM) come from: this JVM's own, or, while the daemon runs a
 * command for a client, the signals that client forwards.
 */
public interface SignalSource {
    /**
     * Calls {@code handler} on each signal {@code name} ({@code INT}, {@code TERM}) until the returned action is
     * run; null when the signal cannot be handled here (the default behaviour applies).
     */
    Runnable register(String name, Runnable handler);

    /** The JVM's signals (null where the JVM keeps them, as with -Xrs). */
    SignalSource JVM = (name, handler) -> {
        Object previous = JvmSignals.register(name, handler);
        return previous == null ? null : () -> JvmSignals.restore(name, previous);
    };

    /** The source for the command running now. */
    static SignalSource current() {
        return Current.source;
    }

    /** Holds the daemon's per-command source (the daemon runs one command at a time). */
    final class Current {
        private static volatile SignalSource source = JVM;

        private Current() {}

        static void set(SignalSource s) {
            source = s == null ? JVM : s;
        }
    }
}
