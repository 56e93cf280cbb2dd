package io.dataflare.cli.client;

/**
 * What Ctrl-C ends in the shell: the command running on the shell's thread (its event stream, its request,
 * its wait before a retry), never the shell itself.
 */
final class CommandInterrupt {
    private final Thread thread;
    private ApiClient client;

    /** Interrupts commands running on {@code thread}. */
    CommandInterrupt(Thread thread) {
        this.thread = thread;
    }

    /** A command started, calling the server through {@code c}. */
    synchronized void running(ApiClient c) {
        client = c;
    }

    /** The command ended: a later Ctrl-C has nothing to end (and must not interrupt the shell's next read). */
    synchronized void done() {
        client = null;
    }

    /** Ctrl-C: ends the running command; returns whether one was running. */
    synchronized boolean fire() {
        if (client == null) return false;
        client.abort();
        thread.interrupt();
        return true;
    }
}
