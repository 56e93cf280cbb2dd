package io.dataflare.cli;

import io.dataflare.engine.runtime.PipelineRun;
import java.util.ArrayList;
import java.util.List;

/**
 * Ctrl-C (SIGINT) and SIGTERM during {@code run}: the first stops the run gracefully (sources stop, what was
 * read drains to the sinks, a checkpoint is taken) while the command goes on to print its summary and exit
 * 130 (143 for SIGTERM), as shells expect of a program ended by a signal; a second one cancels at once.
 * Handling the signals, rather than a shutdown hook, keeps the JVM alive until the summary is out.
 */
final class StopSignals implements AutoCloseable {
    private static final String[] NAMES = {"INT", "TERM"};

    private final PipelineRun run;
    private final List<Runnable> restore = new ArrayList<>();
    private volatile String received;

    private StopSignals(PipelineRun run) {
        this.run = run;
    }

    static StopSignals install(PipelineRun run) {
        StopSignals s = new StopSignals(run);
        SignalSource source = SignalSource.current();
        for (String name : NAMES) {
            Runnable undo = source.register(name, () -> s.onSignal(name));
            if (undo != null) s.restore.add(undo);
        }
        return s;
    }

    private void onSignal(String name) {
        if (received == null) {
            received = "SIG" + name;
            Thread.ofPlatform().daemon(true).name("df-stop").start(run::stop);
        } else {
            Thread.ofPlatform().daemon(true).name("df-cancel").start(run::cancel);
        }
    }

    /** The signal that stopped the run ({@code SIGINT}, {@code SIGTERM}), or null. */
    String received() {
        return received;
    }

    /** 128 plus the signal number. */
    int exitCode() {
        return "SIGTERM".equals(received) ? ExitCodes.TERMINATED : ExitCodes.INTERRUPTED;
    }

    @Override
    public void close() {
        for (Runnable r : restore) r.run();
    }
}
