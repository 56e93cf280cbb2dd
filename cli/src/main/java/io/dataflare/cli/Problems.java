package io.dataflare.cli;

import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.config.Problem;
import java.io.PrintWriter;

/** Prints validation problems the way compilers do: one {@code file:line:column: message} per line. */
public final class Problems {
    private Problems() {
    }

    public static int print(InvalidConfigException e, PrintWriter err) {
        for (Problem p : e.problems()) err.println(p);
        int n = e.problems().size();
        err.println(n + (n == 1 ? " problem" : " problems") + " found; nothing was run.");
        return ExitCodes.INVALID;
    }
}
