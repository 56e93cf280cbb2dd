package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.testing.InProcessPlugins;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Activity tasks over HTTP on a real server: a worker polls (200 with token and input, or 204), heartbeats and
 * answers by token; the answer is the task's result; a repeated or unknown token is refused (409 / 404) and
 * changes nothing; a worker's failure is caught by name; an activity task still queued when the server stops is
 * taken from the next server, and its result is recorded once; workflows sharing an activity take turns (fair
 * share) after a task whose state has a higher {@code Priority}.
 */
class ActivityApiTest {
    static final String WORKFLOW = """
            {"id": "charge", "definition": {
              "StartAt": "Charge",
              "States": {
                "Charge": {"Type": "Task", "Resource": "activity:card-charge", "HeartbeatSeconds": 30,
                           "Parameters": {"amount.$": "$.amount"}, "ResultPath": "$.charge",
                           "Catch": [{"ErrorEquals": ["CardDeclined"], "ResultPath": "$.error", "Next": "Declined"}],
                           "Next": "Done"},
                "Declined": {"Type": "Fail", "Error": "Declined", "CausePath": "$.error.Cause"},
                "Done": {"Type": "Succeed"}
              }
            }}
            """;

    @TempDir
    static Path dir;

    static TestServer s;

    @BeforeAll
    static void start() {
        s = new TestServer(new InProcessPlugins(), dir.resolve("state"));
        assertThat(s.post("/api/workflows", "application/json", WORKFLOW).status())
                .isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (s != null) s.close();
    }

    static TestServer.Response poll(TestServer server, int waitSeconds) {
        return server.post(
                "/api/activities/card-charge/poll",
                "application/json",
                "{\"worker\": \"test-worker\", \"wait_seconds\": " + waitSeconds + "}");
    }

    static void startExecution(TestServer server, String name, long amount) {
        TestServer.Response r = server.post(
                "/api/workflows/charge/executions",
                "application/json",
                "{\"name\": \"" + name + "\", \"input\": {\"amount\": " + amount + "}}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    @Test
    void aWorkerTakesTheTaskByLongPollAndItsAnswerIsTheResult() {
        startExecution(s, "pay-1", 5000);
        TestServer.Response task = poll(s, 20);
        assertThat(task.status()).as(task.body()).isEqualTo(200);
        String token = task.json().get("task_token").asText();
        assertThat(task.json().get("input")).isEqualTo(json("{\"amount\": 5000}"));

        assertThat(s.post("/api/activities/tasks/" + token + "/heartbeat").status())
                .isEqualTo(204);
        TestServer.Response done =
                s.post("/api/activities/tasks/" + token + "/success", "application/json", "{\"receipt\": \"r-1\"}");
        assertThat(done.status()).as(done.body()).isEqualTo(204);
        JsonNode end = WorkflowApiTest.awaitEnd(s, "pay-1");
        assertThat(end.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(end.at("/output/charge/receipt").asText()).isEqualTo("r-1");

        TestServer.Response again =
                s.post("/api/activities/tasks/" + token + "/success", "application/json", "{\"receipt\": \"r-2\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("code").asText()).isEqualTo("conflict");
        assertThat(s.post("/api/activities/tasks/" + token + "/heartbeat").status())
                .isEqualTo(409);
        assertThat(s.get("/api/executions/pay-1")
                        .json()
                        .at("/output/charge/receipt")
                        .asText())
                .isEqualTo("r-1");
        assertThat(s.post("/api/activities/tasks/bm9uZQ.x/success", "application/json", "{}")
                        .status())
                .isEqualTo(404);
        assertThat(s.post("/api/activities/tasks/garbage/failure", "application/json", "{}")
                        .status())
                .isEqualTo(404);
        assertThat(poll(s, 1).status()).as("nothing queued").isEqualTo(204);
        assertThat(types("pay-1").stream().filter(t -> t.equals("TaskSucceeded")))
                .hasSize(1);
    }

    @Test
    void aWorkersFailureIsCaughtByItsName() {
        startExecution(s, "pay-2", 10);
        String token = poll(s, 20).json().get("task_token").asText();
        TestServer.Response r = s.post(
                "/api/activities/tasks/" + token + "/failure",
                "application/json",
                "{\"error\": \"CardDeclined\", \"cause\": \"insufficient funds\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(204);
        JsonNode end = WorkflowApiTest.awaitEnd(s, "pay-2");
        assertThat(end.get("status").asText()).isEqualTo("FAILED");
        assertThat(end.get("error").asText()).isEqualTo("Declined");
        assertThat(end.get("cause").asText()).isEqualTo("insufficient funds");
    }

    @Test
    void workflowsSharingAnActivityTakeTurnsAndAStatesPriorityGoesFirst() {
        for (String[] wf : new String[][] {{"bulk", ""}, {"urgent", ""}, {"vip", "\"Priority\": 5,"}})
            assertThat(s.post("/api/workflows", "application/json", """
                            {"id": "%s", "definition": {"StartAt": "Work", "States": {
                              "Work": {"Type": "Task", "Resource": "activity:shared-work", %s
                                       "Parameters": {"from": "%s"}, "End": true}}}}
                            """.formatted(wf[0], wf[1], wf[0]))
                            .status())
                    .isEqualTo(201);
        // six of bulk queued first, then two of urgent, then one of vip (priority 5)
        for (int i = 0; i < 6; i++) startQueued("bulk", "bulk-" + i);
        for (int i = 0; i < 2; i++) startQueued("urgent", "urgent-" + i);
        startQueued("vip", "vip-0");

        List<String> from = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            TestServer.Response task =
                    s.post("/api/activities/shared-work/poll", "application/json", "{\"wait_seconds\": 5}");
            assertThat(task.status()).as(task.body()).isEqualTo(200);
            from.add(task.json().at("/input/from").asText());
            String token = task.json().get("task_token").asText();
            assertThat(s.post("/api/activities/tasks/" + token + "/success", "application/json", "{}")
                            .status())
                    .isEqualTo(204);
        }
        assertThat(from.getFirst()).isEqualTo("vip");
        // the workflows take turns: urgent's two are not behind bulk's six
        assertThat(from.subList(1, 5)).containsExactly("bulk", "urgent", "bulk", "urgent");
    }

    /** Starts an execution of {@code workflow} and waits until its task is in the queue. */
    private static void startQueued(String workflow, String name) {
        assertThat(s.post(
                                "/api/workflows/" + workflow + "/executions",
                                "application/json",
                                "{\"name\": \"" + name + "\", \"input\": {}}")
                        .status())
                .isEqualTo(201);
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(() ->
                        s.get("/api/executions/" + name + "/history").body().contains("TaskScheduled"));
    }

    @Test
    void badRequestsAreRefusedWithTheirReason() {
        assertThat(s.post("/api/activities/card-charge/poll", "application/json", "{\"wait_seconds\": 99}")
                        .status())
                .isEqualTo(400);
        assertThat(s.post("/api/activities/card-charge/poll", "application/json", "{\"bogus\": 1}")
                        .body())
                .contains("unknown field 'bogus'");
        assertThat(s.post("/api/activities/tasks/x.y/success", "application/json", "{not json")
                        .status())
                .isEqualTo(400);
    }

    @Test
    void aTaskQueuedWhenTheServerStopsIsTakenFromTheNextServerAndRecordedOnce() {
        Path state = dir.resolve("restart-state");
        String token;
        try (TestServer first = new TestServer(new InProcessPlugins(), state)) {
            assertThat(first.post("/api/workflows", "application/json", WORKFLOW)
                            .status())
                    .isEqualTo(201);
            startExecution(first, "pay-3", 3);
            token = poll(first, 20).json().get("task_token").asText();
        }
        try (TestServer second = new TestServer(new InProcessPlugins(), state)) {
            // the lease is in the store: the worker answers the next server with the token the first one gave
            assertThat(second.post("/api/activities/tasks/" + token + "/success", "application/json", "{\"ok\": 3}")
                            .status())
                    .isEqualTo(204);
            JsonNode end = WorkflowApiTest.awaitEnd(second, "pay-3");
            assertThat(end.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(end.at("/output/charge/ok").asInt()).isEqualTo(3);
            List<String> types = new ArrayList<>();
            second.get("/api/executions/pay-3/history")
                    .json()
                    .get("events")
                    .forEach(e -> types.add(e.get("type").asText()));
            assertThat(types.stream().filter(t -> t.equals("TaskScheduled"))).hasSize(1);
            assertThat(types.stream().filter(t -> t.equals("TaskSucceeded"))).hasSize(1);
        }
    }

    @Test
    void aCallbackTaskWaitsForItsTokenToBeAnswered() {
        String wf = """
                {"id": "approve", "definition": {
                  "StartAt": "Ask",
                  "States": {
                    "Ask": {"Type": "Task", "Resource": "callback.waitForTaskToken",
                            "Parameters": {"token.$": "$$.Task.Token", "amount.$": "$.amount"},
                            "ResultPath": "$.decision", "End": true}
                  }
                }}
                """;
        assertThat(s.post("/api/workflows", "application/json", wf).status()).isEqualTo(201);
        assertThat(s.post(
                                "/api/workflows/approve/executions",
                                "application/json",
                                "{\"name\": \"exp-1\", \"input\": {\"amount\": 5000}}")
                        .status())
                .isEqualTo(201);
        String[] token = new String[1];
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .until(() -> {
                    for (JsonNode e :
                            s.get("/api/executions/exp-1/history").json().get("events"))
                        if (e.get("type").asText().equals("TaskScheduled"))
                            token[0] = e.at("/input/token").asText();
                    return token[0] != null;
                });
        assertThat(s.get("/api/executions/exp-1").json().get("status").asText()).isEqualTo("RUNNING");
        TestServer.Response r =
                s.post("/api/tasks/token/" + token[0] + "/success", "application/json", "{\"approved\": true}");
        assertThat(r.status()).as(r.body()).isEqualTo(204);
        JsonNode end = WorkflowApiTest.awaitEnd(s, "exp-1");
        assertThat(end.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(end.at("/output/decision/approved").asBoolean()).isTrue();
        assertThat(s.post("/api/tasks/token/" + token[0] + "/failure", "application/json", "{}")
                        .status())
                .isEqualTo(409);
        assertThat(s.post("/api/tasks/token/bm9uZQ.x/success", "application/json", "{}")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void theExpenseOfFiveThousandNeedsTwoApprovalsThroughTheApi() {
        String wf = """
                {"id": "expense", "definition": {
                  "StartAt": "Approve",
                  "States": {
                    "Approve": {"Type": "Task", "Resource": "approval.waitForTaskToken",
                                "Parameters": {"approvers": ["manager", "finance"], "rule": "all",
                                               "amount.$": "$.amount"},
                                "ResultPath": "$.approval", "End": true}
                  }
                }}
                """;
        assertThat(s.post("/api/workflows", "application/json", wf).status()).isEqualTo(201);
        assertThat(s.post(
                                "/api/workflows/expense/executions",
                                "application/json",
                                "{\"name\": \"exp-5000\", \"input\": {\"amount\": 5000}}")
                        .status())
                .isEqualTo(201);
        JsonNode[] pending = new JsonNode[1];
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .until(() -> {
                    pending[0] =
                            s.get("/api/approvals?execution=exp-5000").json().get("approvals");
                    return pending[0].size() == 1;
                });
        JsonNode a = pending[0].get(0);
        assertThat(a.get("rule").asText()).isEqualTo("all");
        assertThat(a.at("/input/amount").asInt()).isEqualTo(5000);
        String id = a.get("id").asText();
        TestServer.Response first =
                s.post("/api/approvals/" + id + "/approve", "application/json", "{\"approver\": \"manager\"}");
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().get("decisions")).hasSize(1);
        assertThat(s.post("/api/approvals/" + id + "/approve", "application/json", "{\"approver\": \"manager\"}")
                        .status())
                .isEqualTo(409);
        assertThat(s.get("/api/executions/exp-5000").json().get("status").asText())
                .isEqualTo("RUNNING");
        assertThat(s.post("/api/approvals/" + id + "/approve", "application/json", "{\"approver\": \"finance\"}")
                        .status())
                .isEqualTo(200);
        JsonNode end = WorkflowApiTest.awaitEnd(s, "exp-5000");
        assertThat(end.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(end.at("/output/approval/decisions").findValuesAsText("approver"))
                .containsExactly("manager", "finance");
        assertThat(s.get("/api/approvals?execution=exp-5000").json().get("approvals"))
                .isEmpty();
        assertThat(s.post("/api/approvals/bm9uZQ/reject").status()).isEqualTo(404);
    }

    static List<String> types(String execution) {
        List<String> out = new ArrayList<>();
        s.get("/api/executions/" + execution + "/history")
                .json()
                .get("events")
                .forEach(e -> out.add(e.get("type").asText()));
        return out;
    }

    static JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    @Test
    void theDepthCountsAnActivitysQueuedReadyAndLeasedTasks() {
        assertThat(s.post("/api/workflows", "application/json", """
                                {"id": "probe", "definition": {"StartAt": "P", "States": {
                                  "P": {"Type": "Task", "Resource": "activity:depth-probe", "End": true}}}}
                                """).status()).isEqualTo(201);
        assertThat(s.get("/api/activities/depth-probe/depth").json())
                .isEqualTo(json("{\"activity\": \"depth-probe\", \"queued\": 0, \"ready\": 0, \"leased\": 0}"));
        for (int i = 0; i < 3; i++) startQueued("probe", "probe-" + i);
        assertThat(s.get("/api/activities/depth-probe/depth")
                        .json()
                        .get("queued")
                        .asLong())
                .isEqualTo(3);
        TestServer.Response task =
                s.post("/api/activities/depth-probe/poll", "application/json", "{\"wait_seconds\": 10}");
        assertThat(task.status()).as(task.body()).isEqualTo(200);
        assertThat(s.get("/api/activities/depth-probe/depth").json())
                .isEqualTo(json("{\"activity\": \"depth-probe\", \"queued\": 2, \"ready\": 2, \"leased\": 1}"));
        assertThat(s.get("/api/activities/bad%20name/depth").status()).isEqualTo(400);
        for (int i = 0; i < 3; i++) s.post("/api/executions/probe-" + i + "/stop");
    }
}
