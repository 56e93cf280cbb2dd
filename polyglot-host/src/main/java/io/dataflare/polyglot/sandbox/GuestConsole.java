package io.dataflare.polyglot.sandbox;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Where a script instance's {@code print} / {@code console.log} output goes (its stdout and its stderr): the
 * process's stderr, one line per printed line, each with the plugin id, pipeline and stage in front. Not the
 * engine log: the launcher's default level is {@code warn}, and a script author's first debugging print must
 * show without changing it.
 *
 * <p>Rate-limited so a chatty script cannot flood the terminal: an instance prints up to {@link #BURST} lines
 * at once and {@link #LINES_PER_SECOND} lines a second after that (lines are cut at 8 KB); lines over the
 * limit are dropped and counted, and a note says how many at the end of the call (or of a later one, if the
 * rate allows no line then, or when the instance closes).
 */
public final class GuestConsole {
    /** The lines an instance may print at once. */
    public static final int BURST = 1000;
    /** The lines an instance may print per second, once its burst is spent. */
    public static final int LINES_PER_SECOND = 100;

    private static final double NANOS_PER_LINE = 1e9 / LINES_PER_SECOND;

    private final String prefix;
    private final Consumer<String> target;
    private final LongSupplier nanoTime;
    private final GuestOutput out;
    private final GuestOutput err;
    private double allowance = BURST;
    private long refilledAt;
    private long dropped;

    GuestConsole(String prefix, Consumer<String> target, LongSupplier nanoTime) {
        this.prefix = prefix;
        this.target = target;
        this.nanoTime = nanoTime;
        this.refilledAt = nanoTime.getAsLong();
        this.out = GuestOutput.unmuted(this::line);
        this.err = GuestOutput.unmuted(this::line);
    }

    /**
     * The console of one processor instance, writing to {@link System#err} (looked up per line: whoever
     * redirects the process's stderr gets it).
     *
     * @param pluginId the plugin id
     */
    public static GuestConsole toStderr(String pluginId, String pipeline, String stage, int instance) {
        return new GuestConsole(
                prefix(pluginId, pipeline, stage, instance), line -> System.err.println(line), System::nanoTime);
    }

    /** {@code [redact orders/mask] }, {@code [redact orders/mask#1] } for the second instance of a stage. */
    static String prefix(String pluginId, String pipeline, String stage, int instance) {
        return "[" + pluginId + " " + pipeline + "/" + stage + (instance > 0 ? "#" + instance : "") + "] ";
    }

    /** The guest's stdout. */
    public GuestOutput out() {
        return out;
    }

    /** The guest's stderr. */
    public GuestOutput err() {
        return err;
    }

    /**
     * Ends a call: hands on what it printed without a newline (so that the next call's output does not run
     * into it) and says how many lines were dropped, if any and the rate allows.
     */
    public void endOfCall() {
        out.endLine(); // outside this lock: a guest print holds its stream's lock, then takes this one
        err.endLine();
        synchronized (this) {
            if (dropped > 0 && take()) reportDropped();
        }
    }

    /** Hands on unfinished lines and says how many lines were dropped, if any (the instance closes). */
    public void close() {
        out.endLine();
        err.endLine();
        synchronized (this) {
            if (dropped > 0) reportDropped();
        }
    }

    private synchronized void line(String text) {
        if (take()) target.accept(prefix + text);
        else dropped++;
    }

    private void reportDropped() {
        target.accept(prefix + "(" + dropped + (dropped == 1 ? " line" : " lines") + " of output dropped: more than "
                + LINES_PER_SECOND + " lines/s)");
        dropped = 0;
    }

    private boolean take() {
        long now = nanoTime.getAsLong();
        allowance = Math.min(BURST, allowance + (now - refilledAt) / NANOS_PER_LINE);
        refilledAt = now;
        if (allowance < 1) return false;
        allowance--;
        return true;
    }
}
