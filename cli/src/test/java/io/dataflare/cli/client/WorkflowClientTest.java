package io.dataflare.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.processor.Processor;
import io.dataflare.cli.Main;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.server.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dataflare workflow register|start|status|stop|list} against a real server. */
class WorkflowClientTest {
    @TempDir
    static Path dir;

    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(
                new InProcessPlugins()
                        .processor(
                                "double",
                                () -> Processor.mapping(r -> r.toBuilder()
                                        .set("doubled", r.getLong("value") * 2)
                                        .build())),
                dir.resolve("state"));
        Path config = Files.writeString(
                dir.resolve("client.yaml"), "server: " + server.url() + "\ntoken: " + TestServer.TOKEN + "\n");
        System.setProperty("dataflare.client.config", config.toString());
    }

    @AfterAll
    static void stop() {
        System.clearProperty("dataflare.client.config");
        server.close();
    }

    record Cli(int exit, String out, String err) {}

    static Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Cli(exit, out.toString(), err.toString());
    }

    @Test
    void aWorkflowIsRegisteredStartedByNameFollowedAndListed() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.asl.yaml"), """
                StartAt: Double
                States:
                  Double:
                    Type: Task
                    Resource: plugin:double
                    Next: Missing
                """);
        Cli refused = cli("workflow", "register", bad.toString(), "--id", "bad");
        assertThat(refused.exit()).as(refused.err()).isEqualTo(2);
        assertThat(refused.err()).contains(bad + ":6:").contains("Missing");

        Path good = Files.writeString(dir.resolve("double.asl.json"), """
                {"StartAt": "Double", "States": {
                  "Double": {"Type": "Task", "Resource": "plugin:double", "End": true}}}
                """);
        Cli registered = cli("workflow", "register", good.toString(), "--id", "doubler");
        assertThat(registered.exit()).as(registered.err()).isZero();
        assertThat(registered.out()).contains("registered workflow 'doubler'");

        Cli run =
                cli("workflow", "start", "doubler", "--name", "d-1", "--input", "{\"value\": 21}", "--wait", "--json");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(ClientCommandsTest.JSON
                        .readTree(run.out())
                        .at("/output/doubled")
                        .asLong())
                .isEqualTo(42);
        Cli again = cli("workflow", "start", "doubler", "--name", "d-1", "--input", "{\"value\": 1}");
        assertThat(again.out()).contains("found execution d-1 SUCCEEDED");

        Cli status = cli("workflow", "status", "d-1");
        assertThat(status.exit()).isZero();
        assertThat(status.out()).contains("execution d-1 SUCCEEDED").contains("\"doubled\":42");
        assertThat(cli("workflow", "list", "--workflow", "doubler").out())
                .containsPattern("d-1\\s+doubler\\s+SUCCEEDED");
        assertThat(cli("workflow", "list", "--workflows").out()).contains("doubler");
        Cli stopped = cli("workflow", "stop", "d-1");
        assertThat(stopped.exit()).as("ended already").isEqualTo(1);
        assertThat(stopped.err()).contains("ended already");
        assertThat(cli("workflow", "status", "nope").exit()).isEqualTo(1);
    }

    @Test
    void anExpenseOfFiveThousandIsApprovedTwiceFromTheCommandLine() throws Exception {
        Path expense = Files.writeString(dir.resolve("expense.asl.json"), """
                {"StartAt": "Approve", "States": {
                  "Approve": {"Type": "Task", "Resource": "approval.waitForTaskToken",
                              "Parameters": {"approvers": ["manager", "finance"], "rule": "all",
                                             "amount.$": "$.amount"},
                              "ResultPath": "$.approval", "End": true}}}
                """);
        assertThat(cli("workflow", "register", expense.toString(), "--id", "expense")
                        .exit())
                .isZero();
        assertThat(cli("workflow", "start", "expense", "--name", "e-5000", "--input", "{\"amount\": 5000}")
                        .exit())
                .isZero();
        String id = null;
        for (int i = 0; i < 200 && id == null; i++) {
            var list = ClientCommandsTest.JSON.readTree(
                    cli("approvals", "list", "--execution", "e-5000", "--json").out());
            if (!list.path("approvals").isEmpty())
                id = list.path("approvals").get(0).path("id").asText();
            else Thread.sleep(50);
        }
        assertThat(id).isNotNull();
        assertThat(cli("approvals", "list").out()).containsPattern("e-5000\\s+Approve\\s+all\\s+manager,finance\\s+-");

        Cli first = cli("approvals", "approve", id, "--as", "manager", "--comment", "fine");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("approved approval " + id + " of execution e-5000 (1 decision(s))");
        Cli twice = cli("approvals", "approve", id, "--as", "manager");
        assertThat(twice.exit()).isEqualTo(1);
        assertThat(twice.err()).contains("has decided on");
        assertThat(cli("workflow", "status", "e-5000").out()).contains("RUNNING");

        assertThat(cli("approvals", "approve", id, "--as", "finance").exit()).isZero();
        Cli done = null;
        for (int i = 0; i < 200; i++) {
            done = cli("workflow", "status", "e-5000");
            if (done.out().contains("SUCCEEDED")) break;
            Thread.sleep(50);
        }
        assertThat(done.out()).contains("execution e-5000 SUCCEEDED");
        assertThat(cli("approvals", "reject", id, "--as", "finance").exit()).isEqualTo(1);
    }
}
