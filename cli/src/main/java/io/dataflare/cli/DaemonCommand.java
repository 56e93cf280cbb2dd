package io.dataflare.cli;

import io.dataflare.cli.daemon.DaemonServer;
import io.dataflare.cli.daemon.DaemonSockets;
import io.dataflare.engine.host.CacheFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dataflare daemon ...}: a warm JVM for the commands run in one folder, like Gradle's daemon. The
 * launcher hands {@code run}, {@code validate}, {@code task}, {@code plugins}... to it when one serves the
 * current folder, through a small client JVM; without a daemon (or when it declines) commands start their own.
 */
@Command(
        name = "daemon",
        mixinStandardHelpOptions = true,
        description = {
            "A warm JVM that runs this folder's dataflare commands (run, validate, task, plugins, schema, workflow,",
            "approvals, replay, state, audit) through a small client: they start in a fraction of the time.",
            "Only commands from this folder with the same environment variables and the same build are taken;",
            "others (and any while it is busy) start their own JVM as before. DATAFLARE_DAEMON=0 skips it."
        },
        subcommands = {
            DaemonCommand.Start.class,
            DaemonCommand.Stop.class,
            DaemonCommand.Status.class,
            DaemonCommand.Serve.class
        })
final class DaemonCommand extends CommandGroup {
    /** How long a daemon waits for a command before it ends ({@code start} passes it on to {@code serve}). */
    static final class IdleOption {
        @Option(
                names = "--idle-minutes",
                description = "Ends after this many minutes with no command (default: ${DEFAULT-VALUE}).",
                defaultValue = "180")
        long minutes;
    }

    static Path cacheDir() {
        Path dir = CacheFolder.standard();
        if (dir == null) throw new IllegalStateException("no cache folder (DATAFLARE_CACHE_DIR is 'off')");
        return dir;
    }

    static Path home() {
        Path home = PluginFolders.home();
        if (home == null) throw new IllegalStateException("no distribution home (-Ddataflare.home)");
        return home;
    }

    static Path cwd() {
        return Path.of("").toAbsolutePath();
    }

    /** {@code dataflare daemon start}: the daemon, in the background. */
    @Command(name = "start", mixinStandardHelpOptions = true, description = "Starts the daemon for this folder.")
    static final class Start implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        IdleOption idle;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Path socket = DaemonSockets.of(cacheDir(), cwd(), home());
            if (DaemonSockets.reachable(socket)) {
                out.println("a daemon already serves " + cwd());
                return ExitCodes.OK;
            }
            Optional<List<String>> self = thisJvm();
            if (self.isEmpty()) {
                err.println(
                        "error: cannot tell how this JVM was started; run 'dataflare daemon serve' in the background");
                return ExitCodes.FAILED;
            }
            Path log = socket.resolveSibling(socket.getFileName() + ".log");
            Files.createDirectories(log.getParent());
            List<String> command = new ArrayList<>(self.get());
            command.add("daemon");
            command.add("serve");
            command.add("--idle-minutes");
            command.add(Long.toString(idle.minutes));
            Process p = new ProcessBuilder(command)
                    .redirectOutput(log.toFile())
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!DaemonSockets.reachable(socket)) {
                if (!p.isAlive()) {
                    err.println("error: the daemon ended at once (exit " + p.exitValue() + "); see " + log);
                    return ExitCodes.FAILED;
                }
                if (System.nanoTime() > deadline) {
                    err.println("error: the daemon did not come up; see " + log);
                    return ExitCodes.FAILED;
                }
                Thread.sleep(50);
            }
            out.println("daemon started (pid " + p.pid() + ") for " + cwd() + "; log " + log);
            return ExitCodes.OK;
        }

        /** The java binary, JVM options, class path and main class of this process: the daemon gets the same. */
        private static Optional<List<String>> thisJvm() {
            List<String> argv = new ArrayList<>();
            try {
                // the whole command line (ProcessHandle.Info leaves the arguments out when they are long)
                for (String a : Files.readString(Path.of("/proc/self/cmdline")).split("\0")) argv.add(a);
            } catch (IOException | RuntimeException notLinux) {
                ProcessHandle.Info info = ProcessHandle.current().info();
                if (info.command().isEmpty() || info.arguments().isEmpty()) return Optional.empty();
                argv.add(info.command().get());
                argv.addAll(List.of(info.arguments().get()));
            }
            int main = argv.indexOf(Main.class.getName());
            return main < 0 ? Optional.empty() : Optional.of(new ArrayList<>(argv.subList(0, main + 1)));
        }
    }

    /** {@code dataflare daemon serve}: the daemon in the foreground (what {@code start} runs). */
    @Command(
            name = "serve",
            mixinStandardHelpOptions = true,
            description = "Runs the daemon for this folder in the foreground.")
    static final class Serve implements Callable<Integer> {
        @Mixin
        IdleOption idle;

        @Override
        public Integer call() throws IOException {
            // scripts' GraalVM engines outlive each command: a script's next run reuses its compiled code; so do
            // the plugin registries of run, replay and validate, and with them the plugins' JIT-compiled code
            System.setProperty("dataflare.polyglot.shared-engines", "true");
            SharedPluginRegistries.enable();
            try (DaemonServer server =
                    DaemonServer.standard(cacheDir(), cwd(), home(), Duration.ofMinutes(idle.minutes), request -> {
                        request.start();
                        return Main.executeWith(
                                request.stdout(),
                                request.stderr(),
                                request.stdin(),
                                request.terminal(),
                                request.signals(),
                                request.args());
                    })) {
                Runtime.getRuntime().addShutdownHook(new Thread(server::close, "df-daemon-stop"));
                System.err.println(
                        "daemon pid " + ProcessHandle.current().pid() + " serving " + cwd() + " on " + server.socket());
                server.serve();
            }
            return ExitCodes.OK;
        }
    }

    /** {@code dataflare daemon stop}. */
    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stops this folder's daemon.")
    static final class Stop implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Optional<ProcessHandle> daemon = DaemonSockets.process(cacheDir(), cwd(), home());
            if (daemon.isEmpty()) {
                spec.commandLine().getOut().println("no daemon serves " + cwd());
                return ExitCodes.OK;
            }
            daemon.get().destroy();
            daemon.get().onExit().join();
            spec.commandLine().getOut().println("daemon (pid " + daemon.get().pid() + ") stopped");
            return ExitCodes.OK;
        }
    }

    /** {@code dataflare daemon status}. */
    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Says whether a daemon serves this folder. Exit code 0 yes, 1 no.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Optional<String> status = DaemonSockets.status(cacheDir(), cwd(), home());
            spec.commandLine().getOut().print(status.orElse("no daemon serves " + cwd() + "\n"));
            return status.isPresent() ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }
}
