package io.dataflare.cli.server;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as a request to stop: the server shuts down gracefully and exits 0 (the JVM's default,
 * running shutdown hooks, would exit 143).
 */
final class Signals {
    private Signals() {}

    static void onTerminate(Runnable action) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), s -> action.run());
            } catch (IllegalArgumentException e) {
                // the platform has no such signal (or the JVM reserves it): the shutdown hook still stops the server
            }
        }
    }
}
