package io.dataflare.polyglot.runtime;

import org.graalvm.polyglot.Engine;

/**
 * Whether guest code is JIT-compiled. GraalVM compiles guest code only when the JVM runs with the Graal
 * compiler (on a stock JDK 25: {@code -XX:+EnableJVMCI --upgrade-module-path=<compiler jars>}, which the
 * {@code dataflare} launcher adds); otherwise it interprets, and {@link Engine#getImplementationName()} says
 * {@code Interpreted}.
 */
public final class JitMode {
    private JitMode() {}

    /** {@code JIT (GraalVM CE)} or {@code interpreter}. */
    public static String describe(Engine engine) {
        String impl = engine.getImplementationName();
        return isJit(engine) ? "JIT (" + impl + ")" : "interpreter";
    }

    /** What a new engine would run, {@code on: JIT (GraalVM CE)} or {@code off: interpreter}, for {@code --version}. */
    public static String probe() {
        try (Engine e = Engine.newBuilder()
                .option("engine.WarnInterpreterOnly", "false")
                .out(java.io.OutputStream.nullOutputStream())
                .err(java.io.OutputStream.nullOutputStream())
                .build()) {
            return (isJit(e) ? "on: " : "off: ") + describe(e);
        }
    }

    /** Whether the engine compiles guest code. */
    public static boolean isJit(Engine engine) {
        return !"Interpreted".equalsIgnoreCase(engine.getImplementationName());
    }
}
