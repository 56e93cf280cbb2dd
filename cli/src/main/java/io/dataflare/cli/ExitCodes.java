package io.dataflare.cli;

/** The exit codes every command uses. */
final class ExitCodes {
    /** Done (a pipeline COMPLETED, dead letters allowed). */
    static final int OK = 0;
    /** The pipeline FAILED, or the command could not do its work. */
    static final int FAILED = 1;
    /** Invalid input: a pipeline or configuration that does not validate, bad arguments. */
    static final int INVALID = 2;

    private ExitCodes() {
    }
}
