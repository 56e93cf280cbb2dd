package io.dataflare.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.List;
import picocli.CommandLine;

/** The {@code dataflare} command's entry point. */
public final class Main {
    /** The plugin hosts of the distribution, as its JARs register them for ServiceLoader (see StartupLookupsTest). */
    static final List<String> BUNDLED_HOSTS = List.of(
            "io.dataflare.engine.host.java.JavaPluginHost",
            "io.dataflare.wasm.WasmPluginHost",
            "io.dataflare.polyglot.JavaScriptHost",
            "io.dataflare.polyglot.PythonHost");

    static {
        // slf4j-simple reads this once, at the first logger: set it before anything logs (the other settings are
        // in the CLI's simplelogger.properties).
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", envOr("DATAFLARE_LOG_LEVEL", "warn"));
        // The logging backend named, not looked for: SLF4J's search is a ServiceLoader over the class path, which
        // opens every JAR of it (about 150, the GraalVM languages and Flink among them: 80 ms of `validate`).
        // SLF4J says at info level that it was named; its own reporting at warn keeps that off stderr.
        setDefault("slf4j.provider", "org.slf4j.simple.SimpleServiceProvider");
        setDefault("slf4j.internal.verbosity", "WARN");
        // The plugin hosts the distribution ships, named for the same reason (PluginRegistry.Builder.discoverHosts)
        setDefault("dataflare.plugin.hosts", String.join(",", BUNDLED_HOSTS));
        // picocli looks for Groovy's closure class once, and the class path's every JAR (about 150) is opened to
        // find that it is not there: a good part of a short command's start-up
        setDefault("picocli.disable.closures", "true");
        // the API client's requests (HttpURLConnection): a POST is never sent twice on its own
        setDefault("sun.net.http.retryPost", "false");
        // Before the first logger: the log goes to System.err, which masks resolved secrets.
        System.setErr(MaskedOutput.stream(System.err));
    }

    private Main() {}

    public static void main(String[] args) {
        int code = execute(args);
        System.out.flush();
        System.err.flush();
        // System.exit first asks for a logger to log the exit at debug level, and finding the logging backend opens
        // every JAR of the class path (about 150): 100 ms of a short command. A command that succeeded and left no
        // thread running returns instead: the JVM exits with 0 all the same, after the same shutdown hooks.
        if (code != 0 || keepsTheJvmUp(Thread.getAllStackTraces().keySet(), Thread.currentThread())) {
            System.exit(code);
        }
    }

    /** Whether one of these threads, other than {@code self}, would keep the JVM up after {@code main} returns. */
    static boolean keepsTheJvmUp(Collection<Thread> threads, Thread self) {
        return threads.stream().anyMatch(t -> t != self && t.isAlive() && !t.isDaemon());
    }

    /** Runs the command line and returns its exit code (0 ok, 1 failed, 2 invalid input). */
    public static int execute(String... args) {
        return execute(
                new PrintWriter(System.out, true, java.nio.charset.StandardCharsets.UTF_8),
                new PrintWriter(System.err, true),
                args);
    }

    /**
     * Runs the command line as if this JVM had been started for it with these standard streams, terminal and
     * signals (the daemon, for a client): {@link System#out}, {@link System#err} (masked) and {@link System#in}
     * are theirs until it returns. Not for two commands at once.
     */
    public static synchronized int executeWith(
            PrintStream out, PrintStream err, InputStream in, boolean terminal, SignalSource signals, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        InputStream oldIn = System.in;
        System.setOut(out);
        System.setErr(MaskedOutput.stream(err));
        System.setIn(in);
        Terminal.assume(terminal);
        SignalSource.Current.set(signals);
        try {
            return execute(args);
        } finally {
            System.out.flush();
            System.err.flush();
            SignalSource.Current.set(null);
            Terminal.assume(null);
            System.setIn(oldIn);
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
    }

    /** Runs the command line writing to {@code out} and {@code err} (tests, embedding). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        if (VersionInfo.asked(args)) {
            // picocli's model of the root command (options, subcommand list, by reflection) is most of what
            // `--version` would cost; the lines are the ones picocli prints from the same provider
            PrintWriter masked = MaskedOutput.writer(out);
            for (String line : new VersionInfo().getVersion()) masked.println(line);
            masked.flush();
            return ExitCodes.OK;
        }
        CommandLine cl = commandLine(args);
        cl.setOut(MaskedOutput.writer(out));
        cl.setErr(MaskedOutput.writer(err));
        try {
            return cl.execute(args);
        } finally {
            cl.getOut().flush();
            cl.getErr().flush();
        }
    }

    /** The command line for {@code args}, with the subcommands they need (see {@link DataflareCommand}). */
    static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new DataflareCommand());
        for (Class<?> sub : DataflareCommand.needed(args)) cl.addSubcommand(sub);
        DataflareCommand.GROUPS.keySet().forEach(name -> {
            CommandLine group = cl.getSubcommands().get(name);
            if (group != null) for (Class<?> sub : DataflareCommand.neededInGroup(name, args)) group.addSubcommand(sub);
        });
        // An argument starting with @ is an option's value (workflow run --input @in.json reads that file itself),
        // not a picocli argument file to splice into the command line.
        cl.setExpandAtFiles(false);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return ExitCodes.FAILED;
        });
        cl.setParameterExceptionHandler((e, unmatched) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("error: " + e.getMessage());
            c.getErr().println("see '" + c.getCommandSpec().qualifiedName() + " --help'");
            return ExitCodes.INVALID;
        });
        return cl;
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) System.setProperty(key, value);
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
