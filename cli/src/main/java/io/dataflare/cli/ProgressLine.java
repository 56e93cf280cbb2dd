package io.dataflare.cli;

import io.dataflare.engine.runtime.PipelineListener;
import io.dataflare.engine.runtime.PipelineRun;
import io.dataflare.engine.runtime.StatsSnapshot;
import java.io.PrintWriter;
import java.util.Locale;

/** A one-line progress display, redrawn in place on a terminal: state, counts, throughput, elapsed. */
final class ProgressLine implements PipelineListener {
    private final PrintWriter err;
    private int width;

    ProgressLine(PrintWriter err) {
        this.err = err;
    }

    @Override
    public synchronized void onProgress(PipelineRun run, StatsSnapshot s) {
        double secs = Math.max(s.durationMs(), 1) / 1000.0;
        String line = String.format(
                Locale.ROOT,
                "%-9s in %,d  out %,d  dead-lettered %,d  skipped %,d  | %,.0f rec/s | %.1fs",
                run.state(),
                s.recordsIn(),
                s.recordsOut(),
                s.deadLettered(),
                s.skipped(),
                s.recordsIn() / secs,
                secs);
        width = Math.max(width, line.length());
        err.print("\r" + line + " ".repeat(width - line.length()));
        err.flush();
    }

    synchronized void clear() {
        if (width > 0) {
            err.print("\r" + " ".repeat(width) + "\r");
            err.flush();
        }
    }
}
