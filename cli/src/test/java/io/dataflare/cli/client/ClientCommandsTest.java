package io.dataflare.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.cli.Main;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.server.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client commands ({@code dataflare task ...}, {@code dataflare shell}) against a real server. */
class ClientCommandsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static TestServer server;

    record Cli(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(new InProcessPlugins(), dir.resolve("state"));
        Path config = Files.writeString(
                dir.resolve("client.yaml"), "server: " + server.url() + "\ntoken: " + TestServer.TOKEN + "\n");
        System.setProperty("dataflare.client.config", config.toString());
    }

    @AfterAll
    static void stop() {
        System.clearProperty("dataflare.client.config");
        server.close();
    }

    static Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Cli(exit, out.toString(), err.toString());
    }

    @Test
    void theTaskCommandsDriveATaskFromCreationToDeletion() throws Exception {
        Path pipeline = Files.writeString(dir.resolve("orders.yaml"), """
                sources: { in: { use: push, with: { schema: { amount: double } } } }
                sinks: { out: { use: memory, from: in } }
                runtime: { max_wait_ms: 5 }
                """);
        Path csv = Files.writeString(dir.resolve("orders.csv"), "id,country,amount\n1,DE,10.5\n2,FR,20\n3,DE,30\n");

        Cli created = cli("task", "create", pipeline.toString(), "--start");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).contains("created task 'orders' (RUNNING)");
        assertThat(cli("task", "list").out()).containsPattern("orders\\s+RUNNING");
        JsonNode listed = cli("task", "list", "--json").json();
        assertThat(listed.get("tasks").findValuesAsText("id")).contains("orders");

        List<String> seen = new ArrayList<>();
        CompletableFuture<Cli> sub = CompletableFuture.supplyAsync(
                () -> cli("task", "subscribe", "orders", "--filter", "country:DE", "--count", "2"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> server.get("/metrics").status() == 200 && subscribed());

        Cli pushed = cli("task", "push", "orders", csv.toString(), "--batch", "2");
        assertThat(pushed.exit()).as(pushed.err()).isZero();
        assertThat(pushed.out()).contains("pushed 3 records to task 'orders'");
        Cli events = sub.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(events.exit()).as(events.err()).isZero();
        for (String line : events.out().strip().split("\\R"))
            seen.add(JSON.readTree(line).get("id").asText());
        assertThat(seen).containsExactly("1", "3");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> cli("task", "output", "orders", "--json")
                                .json()
                                .get("total")
                                .asInt()
                        == 3);
        Cli output = cli("task", "output", "orders", "--limit", "2");
        assertThat(output.out().strip().split("\\R")).hasSize(2);
        assertThat(JSON.readTree(output.out().strip().split("\\R")[1])
                        .get("amount")
                        .asDouble())
                .isEqualTo(20.0);
        assertThat(output.err()).contains("next offset 2");

        Cli show = cli("task", "show", "orders");
        assertThat(show.out()).contains("task orders  RUNNING", "STAGE", "input  in:", "output out: 3 written");
        assertThat(cli("task", "pause", "orders").out()).contains("task 'orders' is PAUSED");
        assertThat(cli("task", "resume", "orders").out()).contains("task 'orders' is RUNNING");
        assertThat(cli("task", "stop", "orders", "--json").json().get("state").asText())
                .isEqualTo("STOPPED");
        assertThat(cli("task", "start", "orders").out()).contains("RUNNING");
        assertThat(cli("task", "delete", "orders").exit())
                .as("a running task cannot be deleted")
                .isEqualTo(1);
        cli("task", "stop", "orders");
        assertThat(cli("task", "delete", "orders").out()).contains("deleted task 'orders'");
        assertThat(cli("task", "show", "orders").exit()).isEqualTo(1);
    }

    private static boolean subscribed() {
        return true; // the subscription starts within the await's first poll; records pushed before it would be missed
    }

    @Test
    void problemsAreReportedAgainstTheFileAndErrorsExitNonZero() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.yaml"), """
                sources: { in: { use: push } }
                sinks: { out: { use: memory, from: inn } }
                """);
        Cli invalid = cli("task", "create", broken.toString());
        assertThat(invalid.exit()).isEqualTo(2);
        assertThat(invalid.err()).contains(broken + ":2:").contains("inn");

        Cli unreachable = cli("task", "list", "--server", "http://127.0.0.1:1");
        assertThat(unreachable.exit()).isEqualTo(1);
        assertThat(unreachable.err()).contains("cannot reach the server");

        Path badToken = Files.writeString(dir.resolve("bad-token.yaml"), "token: nope\n");
        System.setProperty("dataflare.client.config", badToken.toString());
        try {
            Cli denied = cli("task", "list", "--server", server.url());
            assertThat(denied.exit()).isEqualTo(1);
            assertThat(denied.err()).contains("not valid");
        } finally {
            System.setProperty(
                    "dataflare.client.config", dir.resolve("client.yaml").toString());
        }
    }

    @Test
    void createOfAnExistingIdNamesReplaceAndStopOfAStoppedTaskSucceeds() throws Exception {
        Path pipeline = Files.writeString(dir.resolve("twice.yaml"), """
                sources: { in: { use: push } }
                sinks: { out: { use: memory, from: in } }
                """);
        assertThat(cli("task", "create", pipeline.toString()).exit()).isZero();
        Cli again = cli("task", "create", pipeline.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("task 'twice' already exists", "--replace");
        assertThat(cli("task", "create", pipeline.toString(), "--replace").out())
                .contains("updated task 'twice' (READY)");

        Cli notRunning = cli("task", "stop", "twice");
        assertThat(notRunning.exit()).as(notRunning.err()).isZero();
        assertThat(notRunning.out()).contains("task 'twice' is already stopped (READY)");
        cli("task", "start", "twice");
        assertThat(cli("task", "stop", "twice").out()).contains("task 'twice' is STOPPED");
        Cli stoppedAgain = cli("task", "stop", "twice");
        assertThat(stoppedAgain.exit()).isZero();
        assertThat(stoppedAgain.out()).contains("task 'twice' is already stopped (STOPPED)");
        assertThat(cli("task", "stop", "twice", "--json")
                        .json()
                        .get("was_running")
                        .asBoolean())
                .isFalse();
        cli("task", "delete", "twice");
    }

    @Test
    void pushingAFileThatDoesNotExistSaysSo() {
        Cli missing =
                cli("task", "push", "anything", dir.resolve("nonexistent.csv").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("error: " + dir.resolve("nonexistent.csv") + ": no such file");
        Cli folder = cli("task", "push", "anything", dir.toString() + "/");
        assertThat(folder.exit()).isEqualTo(2);
        Cli create = cli("task", "create", dir.resolve("nonexistent.yaml").toString());
        assertThat(create.exit()).isEqualTo(2);
        assertThat(create.err()).contains("nonexistent.yaml: no such file").doesNotContain("Exception");
    }

    @Test
    void pushReadsEachFormatInBatchesAndStopsAtABadRecordNamingIt() throws Exception {
        server.create("formats", """
                sources: { in: { use: push } }
                sinks: { out: { use: memory, from: in } }
                runtime: { max_wait_ms: 5 }
                """);
        server.post("/api/tasks/formats/start");
        Path array = Files.writeString(dir.resolve("array.json"), "[{\"n\": 1}, {\"n\": 2}, {\"n\": 3}]");
        assertThat(cli("task", "push", "formats", array.toString(), "--batch", "2")
                        .out())
                .contains("pushed 3 records");
        Path csv = Files.writeString(dir.resolve("rows.csv"), "n,name\n4,\"multi\nline\"\n5,e\n");
        assertThat(cli("task", "push", "formats", csv.toString()).out()).contains("pushed 2 records");

        Path lines = Files.writeString(
                dir.resolve("lines.jsonl"), "{\"n\": 6}\n\n{\"n\": 7}\n{\"n\": 8}\n{\"n\": oops}\n{\"n\": 9}\n");
        Cli bad = cli("task", "push", "formats", lines.toString(), "--batch", "2");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains(lines + ":5: not JSON", "(2 records were pushed before it)");
        Path ragged = Files.writeString(dir.resolve("ragged.csv"), "n,name\n10,j\n11\n");
        Cli short_ = cli("task", "push", "formats", ragged.toString());
        assertThat(short_.exit()).isEqualTo(2);
        assertThat(short_.err())
                .contains(ragged + ": Exception when reading record that started in line 3: Record 3 has 1 fields,"
                        + " but first record had 2 fields (0 records were pushed before it)");
        Cli unknown = cli(
                "task",
                "push",
                "formats",
                Files.writeString(dir.resolve("rows.txt"), "n\n1\n").toString());
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("cannot tell the format of", "use .csv, .jsonl, .ndjson or .json");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> cli("task", "output", "formats", "--json")
                                .json()
                                .get("total")
                                .asInt()
                        == 7);
        List<String> got = new ArrayList<>();
        for (JsonNode r : cli("task", "output", "formats", "--json").json().get("records"))
            got.add(r.get("n").asText());
        assertThat(got).containsExactly("1", "2", "3", "4", "5", "6", "7");
        assertThat(cli("task", "output", "formats", "--json", "--offset", "3", "--limit", "1")
                        .json()
                        .at("/records/0/name")
                        .asText())
                .isEqualTo("multi\nline");
        server.post("/api/tasks/formats/stop");
        cli("task", "delete", "formats");
    }

    @Test
    void ctrlCInTheShellEndsASubscriptionAndTheShellGoesOn() throws Exception {
        server.create("followed", """
                sources: { in: { use: push } }
                sinks: { out: { use: memory, from: in } }
                """);
        server.post("/api/tasks/followed/start");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PipedOutputStream keys = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(keys);
        try (Terminal terminal = TerminalBuilder.builder()
                .system(false)
                .dumb(true)
                .type(Terminal.TYPE_DUMB)
                .streams(in, out)
                .build()) {
            terminal.echo(
                    false); // as ShellCommand.run(in, out) does: echoing from the input thread would garble the output
            CompletableFuture<Integer> shell =
                    CompletableFuture.supplyAsync(() -> new ShellCommand().run(terminal, null));
            keys.write("subscribe followed\n".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> out.toString(StandardCharsets.UTF_8).contains("# task followed: RUNNING"));
            terminal.raise(Terminal.Signal.INT); // what Ctrl-C does on a terminal while a command runs
            // a person types the next command at the next prompt: keys typed before it may be discarded with the
            // interrupted command's input
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                String t = out.toString(StandardCharsets.UTF_8);
                int ended = t.indexOf("# subscription to task followed ended");
                return ended >= 0 && t.indexOf("dataflare> ", ended) > 0;
            });
            // and not in the instant the prompt appears: the line reader prints it before it reads, and on a loaded
            // machine a line typed in between was lost once (CI, 2026-12-07); nobody types that fast
            Thread.sleep(300);
            keys.write("show followed\nexit\n".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            assertThat(shell.get(20, java.util.concurrent.TimeUnit.SECONDS)).isZero();
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text.substring(text.indexOf("# subscription to task followed ended")))
                .contains("task followed  RUNNING");
        assertThat(text).doesNotContain("cannot reach the server", "error:");
        server.post("/api/tasks/followed/stop");
        cli("task", "delete", "followed");
    }

    @Test
    void theShellRunsTaskCommandsAndCompletesTaskIds() throws Exception {
        server.create("shelly", """
                sources: { in: { use: push } }
                sinks: { out: { use: memory, from: in } }
                """);
        ShellCommand shell = new ShellCommand();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PipedOutputStream keys = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(keys);
        Thread typist = Thread.ofVirtual().start(() -> {
            try {
                for (String line : List.of("list", "start shelly", "show shelly", "help", "stop shelly", "exit")) {
                    Thread.sleep(300); // as a person types: one line after the other
                    keys.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    keys.flush();
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(shell.run(in, out)).isZero();
        typist.join();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text)
                .contains(
                        "DataFlare shell on " + server.url(),
                        "shelly",
                        "task 'shelly' is RUNNING",
                        "task shelly  RUNNING",
                        "Usage: task",
                        "task 'shelly' is STOPPED");

        ShellCommand.TaskCompleter completer = new ShellCommand.TaskCompleter(ClientSettings.resolve(null));
        assertThat(completer.ids()).contains("shelly");
    }
}
