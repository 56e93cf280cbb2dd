package io.dataflare.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.cli.CommandGroup;
import io.dataflare.cli.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dataflare task ...}: manages the tasks of a running server through its HTTP API. */
@Command(
        name = "task",
        mixinStandardHelpOptions = true,
        description = {
            "Manages the tasks of a task server (dataflare serve) through its HTTP API.",
            "Server: --server URL, DATAFLARE_SERVER or the client config file; token: DATAFLARE_TOKEN or the client config file",
            "(DATAFLARE_CLIENT_CONFIG, default ~/.dataflare/client.yaml: server:, token:, ca_cert:)."
        })
public final class TaskCommand extends CommandGroup {
    /**
     * The subcommands, in the order {@code --help} lists them. Not in the annotation: the command line adds the one
     * it names (see {@code DataflareCommand.needed}), since picocli builds every declared subcommand's model.
     */
    public static final List<Class<?>> SUBCOMMANDS = List.of(
            ListTasks.class,
            Show.class,
            Create.class,
            Start.class,
            Pause.class,
            Resume.class,
            Stop.class,
            Delete.class,
            Push.class,
            Output.class,
            Subscribe.class);

    /** {@code task} with every subcommand (the shell runs any of them). */
    static CommandLine withAllSubcommands(CommandLine.IFactory factory) {
        CommandLine task = new CommandLine(new TaskCommand(), factory);
        for (Class<?> c : SUBCOMMANDS) task.addSubcommand(c);
        return task;
    }

    static String taskPath(String id) {
        return "/api/tasks/" + ApiClient.segment(id);
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Lists the tasks: state, records in and out, throughput.")
    static final class ListTasks extends ClientCall {
        @Override
        int run(ApiClient client, PrintWriter out, PrintWriter err) throws ApiException, InterruptedException {
            JsonNode res = client.get("/api/tasks");
            if (json()) {
                printJson(out, res);
                return ExitCodes.OK;
            }
            Style style = style();
            Table t = new Table("ID", "STATE", "PIPELINE", "IN", "OUT", "REC/S", "ERROR");
            for (JsonNode task : res.path("tasks")) {
                t.row(
                        task.path("id").asText(),
                        style.state(task.path("state").asText()),
                        text(task.path("pipeline_name")),
                        count(task.path("records_in")),
                        count(task.path("records_out")),
                        String.format(
                                Locale.ROOT, "%,.1f", task.path("throughput").asDouble()),
                        text(task.path("error")));
            }
            if (res.path("tasks").isEmpty()) out.println("(no tasks on " + client.server() + ")");
            else t.print(out, style);
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Shows a task: state, stats per stage, input queues, output, attachments.")
    static final class Show extends ClientCall {
        @Parameters(paramLabel = "ID", description = "The task id.")
        String id;

        @Override
        int run(ApiClient client, PrintWriter out, PrintWriter err) throws ApiException, InterruptedException {
            JsonNode t = client.get(taskPath(id));
            if (json()) {
                printJson(out, t);
                return ExitCodes.OK;
            }
            Style style = style();
            out.println("task " + t.path("id").asText() + "  "
                    + style.state(t.path("state").asText()) + "  (pipeline " + text(t.path("pipeline_name")) + ", from "
                    + t.path("origin").asText() + ")");
            out.println("  created " + t.path("created_at").asText() + ", updated "
                    + t.path("updated_at").asText());
            if (!t.path("error").isNull() && !t.path("error").isMissingNode())
                out.println("  error: " + t.path("error").asText());
            JsonNode s = t.path("stats");
            if (s.isObject()) {
                out.printf(
                        Locale.ROOT,
                        "  records in %s, out %s, errors %s, dead-lettered %s, skipped %s; %,.1f records/s over %.1f s%n",
                        count(s.path("records_in")),
                        count(s.path("records_out")),
                        count(s.path("errors")),
                        count(s.path("dead_lettered")),
                        count(s.path("skipped")),
                        s.path("throughput").asDouble(),
                        s.path("duration_ms").asLong() / 1000.0);
                Table st = new Table("STAGE", "ROLE", "PLUGIN", "IN", "OUT", "FAILED", "BUSY_MS", "MS/BATCH", "QUEUED");
                for (JsonNode x : s.path("stages")) {
                    st.row(
                            x.path("name").asText(),
                            x.path("role").asText(),
                            x.path("plugin").asText(),
                            count(x.path("records_in")),
                            count(x.path("records_out")),
                            count(x.path("failed")),
                            count(x.path("busy_ms")),
                            x.path("ms_per_batch").asText(),
                            count(x.path("queued_batches")));
                }
                st.print(out, style);
            }
            for (JsonNode in : t.path("inputs")) {
                out.println("  input  " + in.path("source").asText() + ": " + count(in.path("queued")) + " queued of "
                        + count(in.path("capacity")) + ", " + count(in.path("held")) + " held for a checkpoint, "
                        + count(in.path("accepted")) + " accepted");
            }
            for (JsonNode o : t.path("outputs")) {
                out.println("  output " + o.path("sink").asText() + ": " + count(o.path("total")) + " written, offsets "
                        + o.path("first_offset").asLong() + ".."
                        + Math.max(0, o.path("total").asLong() - 1) + " kept");
            }
            for (JsonNode a : t.path("attachments")) {
                out.println("  attachment " + a.path("id").asInt() + " "
                        + a.path("path").asText() + ": " + a.path("state").asText() + ", " + count(a.path("records"))
                        + " records"
                        + (a.path("error").isTextual() ? " (" + a.path("error").asText() + ")" : ""));
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description =
                    "Creates a task from a pipeline file (YAML, JSON or TOML); relative paths in it resolve against its folder.")
    static final class Create extends ClientCall {
        @Parameters(paramLabel = "FILE", description = "The pipeline file.")
        Path file;

        @Option(names = "--id", description = "The task id (default: the file name without its extension).")
        String id;

        @Option(names = "--start", description = "Start it at once.")
        boolean start;

        @Option(
                names = "--replace",
                description = "Replace the pipeline of an existing task (which must not be running).")
        boolean replace;

        @Override
        int run(ApiClient client, PrintWriter out, PrintWriter err)
                throws ApiException, InterruptedException, IOException {
            String name = file.getFileName().toString();
            String taskId = id != null ? id : name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
            String lower = name.toLowerCase(Locale.ROOT);
            String contentType = lower.endsWith(".json")
                    ? "application/json"
                    : lower.endsWith(".toml") ? "application/toml" : "application/yaml";
            String body = Files.readString(readableFile(file));
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("base_dir", file.toAbsolutePath().normalize().getParent().toString());
            JsonNode t;
            if (replace) {
                t = client.put(ApiClient.path(taskPath(taskId), query), contentType, body);
                if (start) t = client.post(taskPath(taskId) + "/start");
            } else {
                query.put("id", taskId);
                if (start) query.put("start", true);
                try {
                    t = client.post(ApiClient.path("/api/tasks", query), contentType, body);
                } catch (ApiException e) {
                    if (e.status() != 409) throw e;
                    throw e.withMessage("task '" + taskId
                            + "' already exists: add --replace to replace its pipeline (it must not be running)");
                }
            }
            if (json()) printJson(out, t);
            else
                out.println((replace ? "updated" : "created") + " task '"
                        + t.path("id").asText() + "' ("
                        + style().state(t.path("state").asText()) + ")");
            return ExitCodes.OK;
        }

        @Override
        String location(JsonNode problem) {
            String loc = problem.path("location").asText();
            return loc.startsWith("body:") ? file + loc.substring(4) : loc;
        }
    }

    /** A lifecycle action: POST /api/tasks/{id}/{action}. */
    abstract static class Action extends ClientCall {
        @Parameters(paramLabel = "ID", description = "The task id.")
        String id;

        abstract String action();

        Map<String, Object> query() {
            return Map.of();
        }

        @Override
        int run(ApiClient client, PrintWriter out, PrintWriter err) throws ApiException, InterruptedException {
            JsonNode t = client.post(ApiClient.path(taskPath(id) + "/" + action(), query()));
            if (json()) printJson(out, t);
            else print(out, t);
            return ExitCodes.OK;
        }

        /** Says what state the task is in now. */
        void print(PrintWriter out, JsonNode t) {
            out.println("task '" + id + "' is " + style().state(t.path("state").asText()));
        }
    }

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = "Starts a task, resuming from its last checkpoint.")
    static final class Start extends Action {
        @Option(names = "--from-start", description = "Discard the checkpoint and start over.")
        boolean fromStart;

        @Override
        String action() {
            return "start";
        }

        @Override
        Map<String, Object> query() {
            return fromStart ? Map.of("from_start", true) : Map.of();
        }
    }

    @Command(
            name = "pause",
            mixinStandardHelpOptions = true,
            description = "Pauses a running task (its sources stop reading).")
    static final class Pause extends Action {
        @Override
        String action() {
            return "pause";
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resumes a paused task.")
    static final class Resume extends Action {
        @Override
        String action() {
            return "resume";
        }
    }

    @Command(
            name = "stop",
            mixinStandardHelpOptions = true,
            description = {
                "Stops a task: what was read drains to the sinks, which are flushed, and a checkpoint is taken.",
                "A task that is not running is left as it is (exit code 0)."
            })
    static final class Stop extends Action {
        @Override
        String action() {
            return "stop";
        }

        @Override
        void print(PrintWriter out, JsonNode t) {
            if (t.path("was_running").asBoolean(true)) super.print(out, t);
            else
                out.println("task '" + id + "' is already stopped ("
                        + style().state(t.path("state").asText()) + ")");
        }
    }

    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description = "Deletes a task that is not running, with its checkpoint.")
    static final class Delete extends ClientCall {
        @Parameters(paramLabel = "ID", description = "The task id.")
        String id;

        @Override
        int run(ApiClient client, PrintWriter out, PrintWriter err) throws ApiException, InterruptedException {
            JsonNode r = client.delete(taskPath(id));
            if (json()) printJson(out, r);
            else out.println("deleted task '" + id + "'");
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "push",
            mixinStandardHelpOptions = true,
            description = {
                "Pushes the records of a file (CSV with a header, JSON lines, or a JSON array) into a task's push source,",
                "in batches; a full queue (429) is retried until it has room."
            })
    static final class Push extends ClientCall {
        @Parameters(index = "0", paramLabel = "ID", description = "The task id.")
        String id;

        @Parameters(index = "1", paramLabel = "FILE", description = "The records: .csv, .jsonl / .ndjson, or .json.")
        Path file;

        @Option(names = "--source", description = "The push source, when the task has several.")
        String source;

        @Option(
                names = "--batch",
                defaultValue = "1000",
                description = "Records per request (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(
                names = "--retry-seconds",
                defaultValue = "60",
                description = "How long to keep retrying a full queue (default: ${DEFAULT-VALUE}).")
        int retrySeconds;

        @Override
        int run(ApiClient client, PrintWriter out, PrintWriter err)
                throws ApiException, InterruptedException, IOException {
            if (batch < 1) throw new IllegalArgumentException("--batch must be at least 1");
            String path =
                    ApiClient.path(taskPath(id) + "/records", source == null ? Map.of() : Map.of("source", source));
            long pushed = 0;
            try (RecordFile rows = RecordFile.open(readableFile(file))) {
                for (List<Map<String, Object>> chunk; !(chunk = rows.next(batch)).isEmpty(); ) {
                    String body = ApiClient.json().writeValueAsString(chunk);
                    long deadline = System.nanoTime() + retrySeconds * 1_000_000_000L;
                    while (true) {
                        try {
                            pushed += client.post(path, "application/json", body)
                                    .path("accepted")
                                    .asLong();
                            break;
                        } catch (ApiException e) {
                            if (e.status() != 429 || System.nanoTime() > deadline) throw e;
                            Thread.sleep(500);
                        }
                    }
                }
            } catch (RecordFile.BadRecordException e) {
                throw new IllegalArgumentException(
                        e.getMessage() + " (" + pushed + " records were pushed before it)", e);
            }
            if (json())
                printJson(
                        out, ApiClient.json().createObjectNode().put("task", id).put("pushed", pushed));
            else out.println("pushed " + pushed + " records to task '" + id + "'");
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "output",
            mixinStandardHelpOptions = true,
            description =
                    "Prints what a task's memory sink wrote, one JSON object per line (the oldest kept first, or from --offset).")
    static final class Output extends ClientCall {
        @Parameters(paramLabel = "ID", description = "The task id.")
        String id;

        @Option(names = "--limit", defaultValue = "100", description = "Records at most (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--offset", description = "The first record's offset.")
        Long offset;

        @Option(names = "--sink", description = "The memory sink, when the task has several.")
        String sink;

        @Override
        int run(ApiClient client, PrintWriter out, PrintWriter err) throws ApiException, InterruptedException {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("limit", limit);
            q.put("offset", offset);
            q.put("sink", sink);
            JsonNode page = client.get(ApiClient.path(taskPath(id) + "/output", q));
            if (json()) {
                printJson(out, page);
                return ExitCodes.OK;
            }
            for (JsonNode r : page.path("records")) printJson(out, r);
            long n = page.path("records").size();
            err.println("(" + n + " records, offsets " + page.path("offset").asLong() + ".."
                    + (page.path("next_offset").asLong() - 1)
                    + " of " + page.path("total").asLong() + " written; next offset "
                    + page.path("next_offset").asLong()
                    + (page.path("dropped").asLong() > 0
                            ? "; " + page.path("dropped").asLong() + " no longer kept"
                            : "")
                    + ")");
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "subscribe",
            mixinStandardHelpOptions = true,
            description = {
                "Follows a task: prints each record its memory sink writes (one JSON object per line) and state changes (on stderr),",
                "until the task is deleted, the server stops, --count records came, or Ctrl-C. --json prints every event as {\"event\", \"data\"}."
            })
    static final class Subscribe extends ClientCall {
        @Parameters(paramLabel = "ID", description = "The task id.")
        String id;

        @Option(
                names = "--filter",
                paramLabel = "FIELD:VALUE",
                description = "Only records whose field has this value.")
        String filter;

        @Option(names = "--count", description = "Stop after this many records.")
        Long count;

        @Override
        int run(ApiClient client, PrintWriter out, PrintWriter err) throws ApiException, InterruptedException {
            long[] seen = {0};
            client.events(
                    ApiClient.path(taskPath(id) + "/events", filter == null ? Map.of() : Map.of("filter", filter)),
                    (type, data) -> {
                        if (json()) {
                            printJson(
                                    out,
                                    ApiClient.json()
                                            .createObjectNode()
                                            .put("event", type)
                                            .set("data", data));
                        } else if (type.equals("record")) {
                            printJson(out, data.path("record"));
                        } else if (type.equals("state")) {
                            err.println("# task " + id + ": "
                                    + (data.has("from")
                                            ? data.path("from").asText() + " -> "
                                                    + data.path("to").asText()
                                            : data.path("state").asText())
                                    + (data.path("error").isTextual()
                                            ? " (" + data.path("error").asText() + ")"
                                            : ""));
                        } else if (!type.equals("progress")) {
                            err.println(
                                    "# " + type + ": " + data.path("message").asText());
                        }
                        out.flush();
                        err.flush();
                        if (type.equals("record")) seen[0]++;
                        return (count == null || seen[0] < count) && !type.equals("end") && !type.equals("overflow");
                    });
            if (client.aborted()) err.println("# subscription to task " + id + " ended (" + seen[0] + " records)");
            return ExitCodes.OK;
        }
    }

    private static String count(JsonNode n) {
        return String.format(Locale.ROOT, "%,d", n.asLong());
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? "-" : n.asText();
    }
}
