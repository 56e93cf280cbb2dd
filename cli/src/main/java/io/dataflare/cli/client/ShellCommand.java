package io.dataflare.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.cli.ExitCodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dataflare shell}: an interactive client. Each line is a {@code task} command without the
 * {@code dataflare task} prefix ({@code list}, {@code show orders}, {@code push orders data.csv}...); Tab completes
 * commands and task ids; history is kept in {@code ~/.dataflare/history}.
 */
@Command(
        name = "shell",
        mixinStandardHelpOptions = true,
        description = {
            "An interactive client of the task server: 'dataflare task' commands without the prefix, with history",
            "(~/.dataflare/history) and Tab completion of commands and task ids. 'help' lists the commands, 'exit' (or Ctrl-D)",
            "leaves; Ctrl-C ends the running command (e.g. a subscribe) and returns to the prompt."
        })
public final class ShellCommand implements Callable<Integer> {
    static final List<String> COMMANDS = List.of(
            "list",
            "show",
            "create",
            "start",
            "pause",
            "resume",
            "stop",
            "delete",
            "push",
            "output",
            "subscribe",
            "help",
            "exit");
    /** Commands whose first argument is a task id. */
    private static final List<String> TAKES_ID =
            List.of("show", "start", "pause", "resume", "stop", "delete", "push", "output", "subscribe");

    @Spec
    CommandSpec spec;

    @Option(
            names = "--server",
            paramLabel = "URL",
            description = "The server (default: DATAFLARE_SERVER, the client config file, or "
                    + ClientSettings.DEFAULT_SERVER + ").")
    String server;

    @Override
    public Integer call() throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            return run(terminal, historyFile());
        }
    }

    /** Runs the shell on {@code in} and {@code out} (tests, scripts): a dumb terminal, no history file. */
    public int run(InputStream in, OutputStream out) throws IOException {
        try (Terminal terminal = TerminalBuilder.builder()
                .system(false)
                .dumb(true)
                .type(Terminal.TYPE_DUMB)
                .streams(in, out)
                .build()) {
            // Piped input is not typed on a screen; echoing it (done by the terminal's input thread) would also race
            // the commands' output on the same stream and garble it.
            terminal.echo(false);
            return run(terminal, null);
        }
    }

    /** Runs the shell on {@code terminal} (tests raise its signals). */
    int run(Terminal terminal, Path history) {
        ClientSettings settings = ClientSettings.resolve(server);
        LineReaderBuilder b = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("dataflare")
                .parser(new DefaultParser())
                .completer(new TaskCompleter(settings));
        if (history != null) b.variable(LineReader.HISTORY_FILE, history);
        LineReader reader = b.build();
        PrintWriter out = terminal.writer();
        CommandInterrupt interrupt = new CommandInterrupt(Thread.currentThread());
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                K o = CommandLine.defaultFactory().create(cls);
                if (o instanceof ClientCall call) call.interrupt = interrupt;
                return o;
            }
        };
        out.println("DataFlare shell on " + settings.server()
                + " - 'help' lists the commands, Tab completes, 'exit' leaves.");
        while (true) {
            String line;
            try {
                line = reader.readLine("dataflare> ");
            } catch (UserInterruptException e) {
                continue; // Ctrl-C clears the line
            } catch (EndOfFileException e) {
                break; // Ctrl-D
            }
            List<String> words = new ArrayList<>(
                    reader.getParsedLine() == null
                            ? List.of()
                            : reader.getParsedLine().words());
            words.removeIf(String::isEmpty);
            if (words.isEmpty()) continue;
            String command = words.get(0);
            if (command.equals("exit") || command.equals("quit")) break;
            CommandLine task = TaskCommand.withAllSubcommands(factory);
            task.setOut(out);
            task.setErr(out);
            if (command.equals("help")) {
                task.usage(out);
                continue;
            }
            List<String> args = new ArrayList<>(words);
            if (server != null && !args.contains("--server") && !args.contains("--help") && !args.contains("-h")) {
                args.add("--server");
                args.add(server);
            }
            // While a command runs the line reader does not see Ctrl-C: the terminal signals it, and it ends that
            // command (a subscribe, a push) instead of the whole program.
            Terminal.SignalHandler before = terminal.handle(Terminal.Signal.INT, signal -> interrupt.fire());
            try {
                task.execute(args.toArray(String[]::new));
            } finally {
                terminal.handle(Terminal.Signal.INT, before);
                Thread.interrupted(); // an interrupt meant for the command must not end the next read
            }
            out.flush();
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static Path historyFile() {
        Path dir = Path.of(System.getProperty("user.home"), ".dataflare");
        try {
            Files.createDirectories(dir);
            return dir.resolve("history");
        } catch (IOException e) {
            return null; // no history then
        }
    }

    /** Completes the command (first word), then task ids (second word of commands that take one). */
    static final class TaskCompleter implements Completer {
        private static final long CACHE_NANOS = 2_000_000_000L;
        private final ClientSettings settings;
        private List<String> ids = List.of();
        private long fetched;

        TaskCompleter(ClientSettings settings) {
            this.settings = settings;
        }

        @Override
        public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
            if (line.wordIndex() == 0) {
                for (String c : COMMANDS) candidates.add(new Candidate(c));
            } else if (line.wordIndex() == 1 && TAKES_ID.contains(line.words().get(0))) {
                for (String id : ids()) candidates.add(new Candidate(id));
            }
        }

        synchronized List<String> ids() {
            if (System.nanoTime() - fetched < CACHE_NANOS) return ids;
            List<String> out = new ArrayList<>();
            try (ApiClient client = new ApiClient(settings)) {
                for (JsonNode t : client.get("/api/tasks").path("tasks"))
                    out.add(t.path("id").asText());
                ids = out;
            } catch (ApiException e) {
                // the server is not there: no ids to offer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            fetched = System.nanoTime();
            return ids;
        }
    }
}
