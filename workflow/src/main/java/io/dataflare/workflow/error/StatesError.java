package io.dataflare.workflow.error;

/**
 * An error a state raised, as the States language sees it: a name that Retry and Catch match with
 * {@code ErrorEquals} (a predefined {@code States.*} name or the name a task's plugin threw) and a cause.
 */
public final class StatesError extends Exception {
    private static final long serialVersionUID = 1L;

    private final String error;
    private final String causeText;

    public StatesError(String error, String cause) {
        super(error + (cause == null || cause.isEmpty() ? "" : ": " + cause));
        this.error = error;
        this.causeText = cause == null ? "" : cause;
    }

    public StatesError(String error, String cause, Throwable underlying) {
        this(error, cause);
        initCause(underlying);
    }

    /** The error name. */
    public String error() {
        return error;
    }

    /** The human-readable cause. */
    public String causeText() {
        return causeText;
    }

    public static StatesError runtime(String cause) {
        return new StatesError(ErrorNames.RUNTIME, cause);
    }

    public static StatesError intrinsic(String cause) {
        return new StatesError(ErrorNames.INTRINSIC_FAILURE, cause);
    }
}
