package io.dataflare.cli.server;

import io.dataflare.cli.JvmSignals;

/**
 * SIGTERM and SIGINT as a request to stop: the server shuts down gracefully and exits 0 (the JVM's default,
 * running shutdown hooks, would exit 143).
 */
final class Signals {
    private Signals() {}

    static void onTerminate(Runnable action) {
        for (String name : new String[] {"TERM", "INT"}) {
            // where the platform has no such signal (or the JVM reserves it) nothing is registered and the
            // shutdown hook still stops the server
            JvmSignals.register(name, action);
        }
    }
}
