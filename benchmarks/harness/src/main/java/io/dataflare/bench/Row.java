package io.dataflare.bench;

import java.nio.file.Path;

/** One way of doing a benchmark job (the end-to-end suite's: CSV in, {@code n2 = id * 2}, JSON lines out). */
interface Row {
    /** The row's name in the report (a stable contract: {@code baseline}, {@code engine-java}, ...). */
    String name();

    /**
     * Gets the row's next run ready outside the timed part (an empty output topic or table), so that setup a
     * row needs does not count as its throughput.
     */
    default void prepare() throws Exception {}

    /** Runs the job once over {@code input}, writing into {@code outDir}; returns the records written. */
    long run(Path input, Path outDir) throws Exception;

    /** The heap peak of the last run, given the one measured in this JVM (a row run elsewhere reports its own). */
    default long heapPeak(long measuredHere) {
        return measuredHere;
    }

    /** The CPU time of the last run, given the one measured in this JVM (a row run elsewhere reports its own). */
    default long cpuNanos(long measuredHere) {
        return measuredHere;
    }

    /** The process the row runs in when it is not this JVM (see {@link ChildJvmRow}), or null. */
    default ProcessHandle process() {
        return null;
    }

    /**
     * How many times the run's warm-up time this row warms up for (see {@link Harness}): more than one for a
     * row whose code a JIT compiler that warms up itself compiles (GraalVM's, see {@link ChildJvmRow}).
     */
    default int warmUpFactor() {
        return 1;
    }

    /**
     * The fewest runs this row's warm-up makes, however long they take (when the run warms up at all): a row whose
     * compiled code settles after a number of runs rather than of seconds (a Python script, see
     * {@link ChildJvmRow}) would otherwise be timed before it settles whenever its first runs are slow.
     */
    default int minWarmUpRuns() {
        return 1;
    }

    /** Why this row cannot run here (a host not installed), or null. */
    default String unavailable() {
        return null;
    }
}
