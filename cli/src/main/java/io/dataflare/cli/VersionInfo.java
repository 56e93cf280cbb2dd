package io.dataflare.cli;

import io.dataflare.engine.version.EngineVersion;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the engine version, the JDK, and whether guest languages are JIT-compiled. */
final class VersionInfo implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {
            "DataFlare " + EngineVersion.current() + " (build " + EngineVersion.build() + ")",
            "JDK " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                    + System.getProperty("java.home") + ")",
            "GraalVM JIT for scripts: " + jit()
        };
    }

    /** Whether the command line asks only for the version ({@code dataflare --version} or {@code -V}). */
    static boolean asked(String... args) {
        return args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
    }

    /**
     * What the launcher gave this JVM, read from the system properties it sets rather than by starting a GraalVM
     * engine (which would cost {@code --version} most of its time): the Graal compiler on the module path; or not
     * for this short command but for the commands that run pipelines; or not at all.
     */
    static String jit() {
        if (Boolean.getBoolean("dataflare.graal.jit")) return "on (Graal compiler on the module path)";
        if (Boolean.getBoolean("dataflare.graal.jit.available"))
            return "on for the commands that run pipelines (run, replay, serve, edge, workflow, bench);"
                    + " off for this short one (faster to start)";
        return "off (scripts run in GraalVM's interpreter)";
    }
}
