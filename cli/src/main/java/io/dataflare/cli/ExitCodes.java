package io.dataflare.cli;

/** The exit codes every command uses. */
public final class ExitCodes {
    /** Done (a pipeline COMPLETED, dead letters allowed). */
    public static final int OK = 0;
    /** The pipeline FAILED, or the command could not do its work. */
    public static final int FAILED = 1;
    /** Invalid input: a pipeline or configuration that does not validate, bad arguments. */
    public static final int INVALID = 2;

    private ExitCodes() {
    }
}
