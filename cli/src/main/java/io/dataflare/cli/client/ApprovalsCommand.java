package io.dataflare.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataflare.cli.CommandGroup;
import io.dataflare.cli.ExitCodes;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dataflare approvals list|approve|reject}: the human approvals of workflow executions on a task server. */
@Command(
        name = "approvals",
        mixinStandardHelpOptions = true,
        description = "Lists and decides the pending human approvals of workflow executions on a task server.",
        subcommands = {
            ApprovalsCommand.ListApprovals.class,
            ApprovalsCommand.Approve.class,
            ApprovalsCommand.Reject.class
        })
public final class ApprovalsCommand extends CommandGroup {
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Lists the pending approvals (--execution, --approver filter them).")
    public static final class ListApprovals extends ClientCall {
        @Option(names = "--execution", paramLabel = "NAME", description = "Only approvals of this execution.")
        String execution;

        @Option(names = "--approver", paramLabel = "NAME", description = "Only approvals this approver may decide.")
        String approver;

        @Override
        int run(ApiClient client, PrintWriter out, PrintWriter err) throws ApiException, InterruptedException {
            Map<String, Object> query = new LinkedHashMap<>();
            if (execution != null) query.put("execution", execution);
            if (approver != null) query.put("approver", approver);
            JsonNode res = client.get(ApiClient.path("/api/approvals", query));
            if (json()) {
                printJson(out, res);
                return ExitCodes.OK;
            }
            if (res.path("approvals").isEmpty()) {
                out.println("(no pending approvals on " + client.server() + ")");
                return ExitCodes.OK;
            }
            Table t = new Table("ID", "EXECUTION", "STATE", "RULE", "APPROVERS", "APPROVED BY", "DUE");
            for (JsonNode a : res.path("approvals")) {
                StringBuilder by = new StringBuilder();
                for (JsonNode d : a.path("decisions"))
                    if (d.path("approved").asBoolean())
                        by.append(by.isEmpty() ? "" : ",")
                                .append(d.path("approver").asText());
                StringBuilder approvers = new StringBuilder();
                for (JsonNode n : a.path("approvers"))
                    approvers.append(approvers.isEmpty() ? "" : ",").append(n.asText());
                t.row(
                        a.path("id").asText(),
                        a.path("execution").asText(),
                        a.path("state").asText(),
                        a.path("rule").asText(),
                        approvers.toString(),
                        by.isEmpty() ? "-" : by.toString(),
                        a.path("due").isTextual() ? a.path("due").asText() : "-");
            }
            t.print(out, style());
            return ExitCodes.OK;
        }
    }

    /** What approve and reject share. */
    abstract static class Decide extends ClientCall {
        @Parameters(paramLabel = "ID", description = "The approval's id (as approvals list shows it).")
        String id;

        @Option(names = "--comment", paramLabel = "TEXT", description = "Why.")
        String comment;

        @Option(
                names = "--as",
                paramLabel = "APPROVER",
                description = "Decide for this approver (admin tokens only; default: the token's own name).")
        String approver;

        abstract String verb();

        @Override
        int run(ApiClient client, PrintWriter out, PrintWriter err) throws ApiException, InterruptedException {
            ObjectNode body = ApiClient.json().createObjectNode();
            if (comment != null) body.put("comment", comment);
            if (approver != null) body.put("approver", approver);
            JsonNode res = client.post(
                    "/api/approvals/" + ApiClient.segment(id) + "/" + verb(), "application/json", body.toString());
            if (json()) printJson(out, res);
            else
                out.println(verb() + "d approval " + id + " of execution "
                        + res.path("execution").asText() + " ("
                        + res.path("decisions").size() + " decision(s))");
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "approve",
            mixinStandardHelpOptions = true,
            description = "Approves a pending approval (exit 1: not an approver, decided already, or ended).")
    public static final class Approve extends Decide {
        @Override
        String verb() {
            return "approve";
        }
    }

    @Command(
            name = "reject",
            mixinStandardHelpOptions = true,
            description = "Rejects a pending approval (exit 1: not an approver, decided already, or ended).")
    public static final class Reject extends Decide {
        @Override
        String verb() {
            return "reject";
        }
    }
}
