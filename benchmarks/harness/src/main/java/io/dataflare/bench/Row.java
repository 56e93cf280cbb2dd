package io.dataflare.bench;

import java.nio.file.Path;

/** One way of doing the benchmark job: CSV in, {@code n2 = id * 2}, JSON lines out. */
interface Row {
    /** The row's name in the report (a stable contract: {@code baseline}, {@code engine-java}, ...). */
    String name();

    /** Runs the job once over {@code input}, writing into {@code outDir}; returns the records written. */
    long run(Path input, Path outDir) throws Exception;

    /** The heap peak of the last run, given the one measured in this JVM (a row run elsewhere reports its own). */
    default long heapPeak(long measuredHere) {
        return measuredHere;
    }

    /** Why this row cannot run here (a host not installed), or null. */
    default String unavailable() {
        return null;
    }
}
