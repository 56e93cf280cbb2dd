package io.dataflare.cli;

import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.config.Problem;
import java.io.PrintWriter;
import java.util.List;

/** Prints validation problems the way compilers do: one {@code file:line:column: message} per line. */
public final class Problems {
    private Problems() {}

    public static int print(InvalidConfigException e, PrintWriter err) {
        return print(e.problems(), err);
    }

    /** Prints {@code problems} (at least one), each once, and the count; returns the exit code for invalid input. */
    public static int print(List<Problem> problems, PrintWriter err) {
        for (Problem p : problems) err.println(p);
        int n = problems.size();
        err.println(n + (n == 1 ? " problem" : " problems") + " found; nothing was run.");
        return ExitCodes.INVALID;
    }
}
