package io.dataflare.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether standard output is an interactive terminal (for the progress bar and colour). */
public final class Terminal {
    /** What the daemon's client said of its own terminal while the daemon runs its command; null: ask the JVM. */
    private static volatile Boolean assumed;

    private Terminal() {}

    static void assume(Boolean interactive) {
        assumed = interactive;
    }

    public static boolean interactive() {
        Boolean a = assumed;
        if (a != null) return a;
        Console c = System.console();
        if (c == null) return false;
        try {
            // JDK 22+ returns a Console even when redirected; isTerminal() tells the truth there.
            Method m = Console.class.getMethod("isTerminal");
            return (Boolean) m.invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a non-null console is a terminal
        }
    }
}
