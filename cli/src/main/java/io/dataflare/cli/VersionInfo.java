package io.dataflare.cli;

import io.dataflare.engine.version.EngineVersion;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the engine version, the JDK, and whether guest languages are JIT-compiled. */
final class VersionInfo implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String jit;
        try {
            // what GraalVM really runs (the launcher adds the compiler when it can)
            jit = io.dataflare.polyglot.runtime.JitMode.probe();
        } catch (LinkageError | RuntimeException e) {
            jit = Boolean.getBoolean("dataflare.graal.jit")
                    ? "on (Graal compiler on the module path)"
                    : "off (scripts run in GraalVM's interpreter when the polyglot host is installed)";
        }
        return new String[] {
            "DataFlare " + EngineVersion.current() + " (build " + EngineVersion.build() + ")",
            "JDK " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                    + System.getProperty("java.home") + ")",
            "GraalVM JIT for scripts: " + jit
        };
    }
}
