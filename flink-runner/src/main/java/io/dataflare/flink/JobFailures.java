package io.dataflare.flink;

/** Why a Flink job failed, in the pipeline's words rather than Flink's wrappers. */
final class JobFailures {
    private JobFailures() {}

    /**
     * The message of the first exception in {@code t}'s causes that Flink did not add (a stage's abort, a
     * plugin's error); Flink's own when there is none.
     */
    static String message(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (!c.getClass().getName().startsWith("org.apache.flink.") && c.getMessage() != null) {
                return c.getMessage();
            }
        }
        return String.valueOf(t.getMessage());
    }
}
