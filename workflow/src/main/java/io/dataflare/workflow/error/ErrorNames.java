package io.dataflare.workflow.error;

import java.util.List;
import java.util.Set;

/** The predefined error names and how {@code ErrorEquals} matches them. */
public final class ErrorNames {
    public static final String ALL = "States.ALL";
    public static final String TASK_FAILED = "States.TaskFailed";
    public static final String TIMEOUT = "States.Timeout";
    public static final String HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout";
    public static final String RUNTIME = "States.Runtime";
    public static final String BRANCH_FAILED = "States.BranchFailed";
    public static final String NO_CHOICE_MATCHED = "States.NoChoiceMatched";
    public static final String INTRINSIC_FAILURE = "States.IntrinsicFailure";
    public static final String PARAMETER_PATH_FAILURE = "States.ParameterPathFailure";
    public static final String RESULT_PATH_MATCH_FAILURE = "States.ResultPathMatchFailure";
    public static final String PERMISSIONS = "States.Permissions";
    public static final String EXCEEDS_TOLERATED_FAILURE_THRESHOLD = "States.ExceedToleratedFailureThreshold";
    public static final String ITEM_READER_FAILED = "States.ItemReaderFailed";
    public static final String RESULT_WRITER_FAILED = "States.ResultWriterFailed";
    public static final String DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded";

    /** Every predefined name; another name starting with {@code States.} is a mistake in a definition. */
    public static final Set<String> PREDEFINED = Set.of(
            ALL,
            TASK_FAILED,
            TIMEOUT,
            HEARTBEAT_TIMEOUT,
            RUNTIME,
            BRANCH_FAILED,
            NO_CHOICE_MATCHED,
            INTRINSIC_FAILURE,
            PARAMETER_PATH_FAILURE,
            RESULT_PATH_MATCH_FAILURE,
            PERMISSIONS,
            EXCEEDS_TOLERATED_FAILURE_THRESHOLD,
            ITEM_READER_FAILED,
            RESULT_WRITER_FAILED,
            DATA_LIMIT_EXCEEDED);

    private ErrorNames() {}

    /**
     * Whether a retrier's or catcher's {@code ErrorEquals} matches {@code error}. {@code States.ALL} matches
     * every error except the terminal ones ({@code States.Runtime}, {@code States.DataLimitExceeded}), which
     * fail the execution unless named explicitly; {@code States.TaskFailed} is a wildcard too, except that it
     * does not match {@code States.Timeout} (nor {@code States.HeartbeatTimeout}) either; {@code States.Timeout}
     * matches {@code States.HeartbeatTimeout}.
     */
    public static boolean matches(List<String> errorEquals, String error) {
        for (String e : errorEquals) {
            if (e.equals(error)) return true;
            boolean terminal = error.equals(RUNTIME) || error.equals(DATA_LIMIT_EXCEEDED);
            if (e.equals(ALL) && !terminal) return true;
            boolean timeout = error.equals(TIMEOUT) || error.equals(HEARTBEAT_TIMEOUT);
            if (e.equals(TASK_FAILED) && !terminal && !timeout) return true;
            // a lease that ran out without heartbeat is a timeout too, as in Step Functions
            if (e.equals(TIMEOUT) && error.equals(HEARTBEAT_TIMEOUT)) return true;
        }
        return false;
    }
}
