package io.dataflare.cli;

/** The exit codes every command uses. */
public final class ExitCodes {
    /** Done (a pipeline COMPLETED, dead letters allowed). */
    public static final int OK = 0;
    /** The pipeline FAILED, or the command could not do its work. */
    public static final int FAILED = 1;
    /** Invalid input: a pipeline or configuration that does not validate, bad arguments. */
    public static final int INVALID = 2;
    /** Another run holds the state (checkpoint lock) this one needs: nothing was run. */
    public static final int BUSY = 3;
    /** A run stopped by Ctrl-C (SIGINT), after draining to its sinks and checkpointing: 128 + 2. */
    public static final int INTERRUPTED = 130;
    /** A run stopped by SIGTERM, after draining to its sinks and checkpointing: 128 + 15. */
    public static final int TERMINATED = 143;

    private ExitCodes() {}
}
