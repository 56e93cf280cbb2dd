package io.dataflare.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataflare.cli.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The client side of {@code dataflare workflow}: register workflows on a task server, start, follow, stop and
 * list their executions through its HTTP API (the local {@code validate}, {@code run} and {@code history} run in
 * this process instead).
 */
public final class WorkflowClient {
    private WorkflowClient() {}

    static String executionPath(String name) {
        return "/api/executions/" + ApiClient.segment(name);
    }

    /** {@code execution NAME STATUS}, then the output or the error and cause. */
    static void printExecution(PrintWriter out, JsonNode e) {
        out.println("execution " + e.path("execution").asText() + " "
                + e.path("status").asText() + " (workflow " + e.path("workflow").asText() + ")");
        String status = e.path("status").asText();
        if (status.equals("SUCCEEDED")) out.println(e.path("output"));
        else if (!e.path("error").isNull() && !e.path("error").isMissingNode())
            out.println("error: " + e.path("error").asText()
                    + (e.path("cause").isTextual() && !e.path("cause").asText().isEmpty()
                            ? ": " + e.path("cause").asText()
                            : ""));
    }

    static boolean finished(String status) {
        return switch (status) {
            case "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED" -> true;
            default -> false;
        };
    }

    @Command(
            name = "register",
            mixinStandardHelpOptions = true,
            description = {
                "Registers (or replaces) a workflow definition (JSON or YAML) on the server, which validates it:"
                        + " problems are printed as FILE:line:column: message (exit 2)."
            })
    public static final class Register extends ClientCall {
        @Parameters(paramLabel = "FILE", description = "The definition (JSON, or YAML for .yaml/.yml).")
        Path file;

        @Option(names = "--id", required = true, paramLabel = "ID", description = "The workflow's id.")
        String id;

        @Override
        int run(ApiClient client, PrintWriter out, PrintWriter err)
                throws ApiException, InterruptedException, IOException {
            // sent as text, so that the server's problem lines are the file's lines
            String text = Files.readString(readableFile(file), StandardCharsets.UTF_8);
            ObjectNode body = ApiClient.json().createObjectNode();
            body.put("id", id);
            body.put("definition", text);
            JsonNode res = client.post("/api/workflows", "application/json", body.toString());
            if (json()) printJson(out, res);
            else out.println("registered workflow '" + res.path("id").asText() + "'");
            return ExitCodes.OK;
        }

        @Override
        String location(JsonNode problem) {
            return file + ":" + problem.path("line").asInt() + ":"
                    + problem.path("column").asInt();
        }
    }

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = {
                "Starts an execution of a registered workflow on the server; idempotent by --name (an execution of that"
                        + " name is answered as it is).",
                "With --wait: waits for its end; exit 0 SUCCEEDED, 1 otherwise."
            })
    public static final class Start extends ClientCall {
        @Parameters(paramLabel = "ID", description = "The workflow's id.")
        String id;

        @Option(names = "--name", paramLabel = "NAME", description = "The execution's name (default: a random one).")
        String name;

        @Option(
                names = "--input",
                paramLabel = "JSON|@FILE",
                description = "The execution's input: JSON text, or @ and a file holding it (default {}).")
        String input = "{}";

        @Option(names = "--wait", description = "Wait for the execution to end and print how it ended.")
        boolean await;

        @Override
        int run(ApiClient client, PrintWriter out, PrintWriter err)
                throws ApiException, InterruptedException, IOException {
            String text = input.startsWith("@")
                    ? Files.readString(readableFile(Path.of(input.substring(1))), StandardCharsets.UTF_8)
                    : input;
            JsonNode in;
            try {
                in = ApiClient.json().readTree(text);
            } catch (IOException e) {
                throw new IllegalArgumentException("--input: not JSON: " + e.getMessage());
            }
            ObjectNode body = ApiClient.json().createObjectNode();
            if (name != null) body.put("name", name);
            body.set("input", in);
            JsonNode res = client.post(
                    "/api/workflows/" + ApiClient.segment(id) + "/executions", "application/json", body.toString());
            String execution = res.path("execution").asText();
            while (await && !finished(res.path("status").asText())) {
                Thread.sleep(200);
                res = client.get(executionPath(execution));
            }
            if (json()) printJson(out, res);
            else if (await) printExecution(out, res);
            else
                out.println((res.path("created").asBoolean() ? "started" : "found") + " execution " + execution + " "
                        + res.path("status").asText());
            return !await || res.path("status").asText().equals("SUCCEEDED") ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Shows an execution: status, output or error and cause (--json: the server's object).")
    public static final class Status extends ClientCall {
        @Parameters(paramLabel = "EXECUTION", description = "The execution's name.")
        String execution;

        @Override
        int run(ApiClient client, PrintWriter out, PrintWriter err) throws ApiException, InterruptedException {
            JsonNode res = client.get(executionPath(execution));
            if (json()) printJson(out, res);
            else printExecution(out, res);
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "stop",
            mixinStandardHelpOptions = true,
            description = "Stops a running execution: it ends ABORTED (exit 1 when it had ended already).")
    public static final class Stop extends ClientCall {
        @Parameters(paramLabel = "EXECUTION", description = "The execution's name.")
        String execution;

        @Option(names = "--cause", paramLabel = "TEXT", description = "Why (the execution's cause).")
        String cause;

        @Override
        int run(ApiClient client, PrintWriter out, PrintWriter err) throws ApiException, InterruptedException {
            ObjectNode body = ApiClient.json().createObjectNode();
            if (cause != null) body.put("cause", cause);
            JsonNode res = client.post(executionPath(execution) + "/stop", "application/json", body.toString());
            if (json()) printJson(out, res);
            else printExecution(out, res);
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Lists the server's executions (--workflow, --status filter them); --workflows lists the"
                    + " registered workflows instead.")
    public static final class ListExecutions extends ClientCall {
        @Option(names = "--workflow", paramLabel = "ID", description = "Only executions of this workflow.")
        String workflow;

        @Option(names = "--status", paramLabel = "STATUS", description = "Only executions in this status.")
        String status;

        @Option(names = "--workflows", description = "List the registered workflows.")
        boolean workflows;

        @Override
        int run(ApiClient client, PrintWriter out, PrintWriter err) throws ApiException, InterruptedException {
            if (workflows) {
                JsonNode res = client.get("/api/workflows");
                if (json()) printJson(out, res);
                else
                    for (JsonNode w : res.path("workflows"))
                        out.println(w.path("id").asText() + "  registered "
                                + w.path("registeredAt").asText());
                return ExitCodes.OK;
            }
            Map<String, Object> query = new LinkedHashMap<>();
            if (workflow != null) query.put("workflow", workflow);
            if (status != null) query.put("status", status);
            JsonNode res = client.get(ApiClient.path("/api/executions", query));
            if (json()) {
                printJson(out, res);
                return ExitCodes.OK;
            }
            Style style = style();
            Table t = new Table("EXECUTION", "WORKFLOW", "STATUS");
            for (JsonNode e : res.path("executions"))
                t.row(
                        e.path("execution").asText(),
                        e.path("workflow").asText(),
                        e.path("status").asText());
            if (res.path("executions").isEmpty()) out.println("(no executions on " + client.server() + ")");
            else t.print(out, style);
            return ExitCodes.OK;
        }
    }
}
