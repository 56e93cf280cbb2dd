package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.testing.InProcessPlugins;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operating workflow executions on a real server: listing by status and start time, redriving a failed execution
 * from its failed state, a stop seen by the worker's next heartbeat, signals kept until a {@code signal:NAME} task
 * takes them, and the sweep of histories past their retention.
 */
class WorkflowOpsApiTest {
    static final String CHARGE = """
            {"id": "ops-charge", "definition": {
              "StartAt": "Prepare",
              "States": {
                "Prepare": {"Type": "Pass", "Result": "ready", "ResultPath": "$.prepared", "Next": "Charge"},
                "Charge": {"Type": "Task", "Resource": "activity:ops-card", "HeartbeatSeconds": 60,
                           "ResultPath": "$.charge", "Next": "Done"},
                "Done": {"Type": "Succeed"}
              }
            }}
            """;
    static final String APPROVAL = """
            {"id": "ops-approval", "definition": {
              "StartAt": "Work",
              "States": {
                "Work": {"Type": "Task", "Resource": "activity:ops-work", "ResultPath": "$.work", "Next": "Approve"},
                "Approve": {"Type": "Task", "Resource": "signal:approve", "TimeoutSeconds": 120,
                            "ResultPath": "$.approval", "End": true}
              }
            }}
            """;

    @TempDir
    static Path dir;

    static TestServer s;

    @BeforeAll
    static void start() {
        s = new TestServer(new InProcessPlugins(), dir.resolve("state"));
        for (String w : List.of(CHARGE, APPROVAL))
            assertThat(s.post("/api/workflows", "application/json", w).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (s != null) s.close();
    }

    static void startExecution(String workflow, String name) {
        TestServer.Response r = s.post(
                "/api/workflows/" + workflow + "/executions",
                "application/json",
                "{\"name\": \"" + name + "\", \"input\": {\"amount\": 10}}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    static String pollToken(String activity) {
        TestServer.Response task =
                s.post("/api/activities/" + activity + "/poll", "application/json", "{\"wait_seconds\": 30}");
        assertThat(task.status()).as(task.body()).isEqualTo(200);
        return task.json().get("task_token").asText();
    }

    static List<String> names(TestServer.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.json().get("executions").forEach(e -> out.add(e.get("execution").asText()));
        return out;
    }

    @Test
    void aFailedExecutionIsListedByStatusAndRedrivenFromTheFailedState() {
        Instant before = Instant.now().minusSeconds(1);
        startExecution("ops-charge", "redrive-1");
        String token = pollToken("ops-card");
        assertThat(s.post(
                                "/api/activities/tasks/" + token + "/failure",
                                "application/json",
                                "{\"error\": \"GatewayDown\", \"cause\": \"503\"}")
                        .status())
                .isEqualTo(204);
        assertThat(WorkflowApiTest.awaitEnd(s, "redrive-1").get("status").asText())
                .isEqualTo("FAILED");

        assertThat(names(s.get("/api/workflows/ops-charge/executions?status=FAILED")))
                .contains("redrive-1");
        assertThat(names(s.get("/api/workflows/ops-charge/executions?status=SUCCEEDED")))
                .doesNotContain("redrive-1");
        assertThat(names(s.get("/api/workflows/ops-charge/executions?started_after=" + before)))
                .contains("redrive-1");
        assertThat(names(s.get("/api/workflows/ops-charge/executions?started_before=" + before)))
                .doesNotContain("redrive-1");
        assertThat(names(s.get("/api/executions?workflow=ops-charge&status=FAILED&started_after=" + before)))
                .contains("redrive-1");
        JsonNode listed = s.get("/api/workflows/ops-charge/executions?status=FAILED")
                .json()
                .get("executions")
                .get(0);
        assertThat(listed.get("startedAt").asText()).isNotEmpty();
        assertThat(listed.get("endedAt").asText()).isNotEmpty();

        TestServer.Response redriven = s.post("/api/executions/redrive-1/redrive");
        assertThat(redriven.status()).as(redriven.body()).isEqualTo(200);
        String again = pollToken("ops-card");
        assertThat(again).as("a new attempt, a new token").isNotEqualTo(token);
        assertThat(s.post("/api/activities/tasks/" + again + "/success", "application/json", "{\"ok\": true}")
                        .status())
                .isEqualTo(204);
        JsonNode end = WorkflowApiTest.awaitEnd(s, "redrive-1");
        assertThat(end.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(end.at("/output/prepared").asText()).isEqualTo("ready");
        assertThat(end.at("/output/charge/ok").asBoolean()).isTrue();
        List<String> types = new ArrayList<>();
        s.get("/api/executions/redrive-1/history")
                .json()
                .get("events")
                .forEach(e -> types.add(e.get("type").asText()));
        assertThat(types).containsSubsequence("ExecutionFailed", "ExecutionRedriven", "ExecutionSucceeded");
        assertThat(types.stream().filter("ExecutionStarted"::equals)).hasSize(1);

        TestServer.Response twice = s.post("/api/executions/redrive-1/redrive");
        assertThat(twice.status()).as("a SUCCEEDED execution").isEqualTo(409);
        assertThat(twice.body()).contains("SUCCEEDED");
        assertThat(s.post("/api/executions/nope/redrive").status()).isEqualTo(404);
    }

    @Test
    void listingRefusesABadTimeAndAnUnknownWorkflow() {
        TestServer.Response bad = s.get("/api/workflows/ops-charge/executions?started_after=yesterday");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("started_after");
        assertThat(s.get("/api/workflows/ops-charge/executions?status=LOST").status())
                .isEqualTo(400);
        assertThat(s.get("/api/workflows/no-such/executions").status()).isEqualTo(404);
    }

    @Test
    void aStoppedExecutionsTaskAnswersTheWorkersHeartbeatWithCancelRequested() {
        startExecution("ops-charge", "cancel-1");
        String token = pollToken("ops-card");
        assertThat(s.post("/api/activities/tasks/" + token + "/heartbeat").status())
                .isEqualTo(204);
        assertThat(s.post("/api/executions/cancel-1/stop").status()).isEqualTo(200);

        TestServer.Response hb = s.post("/api/activities/tasks/" + token + "/heartbeat");
        assertThat(hb.status()).isEqualTo(409);
        assertThat(hb.json().get("cancel_requested").asBoolean()).isTrue();
        assertThat(hb.json().get("execution").asText()).isEqualTo("cancel-1");
        assertThat(hb.json().get("message").asText()).contains("was stopped");
        TestServer.Response late =
                s.post("/api/activities/tasks/" + token + "/success", "application/json", "{\"ok\": true}");
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.json().get("cancel_requested").asBoolean()).isTrue();
        assertThat(s.get("/api/executions/cancel-1").json().get("status").asText())
                .isEqualTo("ABORTED");
    }

    @Test
    void aSignalSentBeforeTheExecutionWaitsForItIsTakenOnce() {
        startExecution("ops-approval", "signal-1");
        // the execution is still at Work: the signal is kept until Approve takes it
        TestServer.Response sent = s.post(
                "/api/workflows/ops-approval/executions/signal-1/signals/approve",
                "application/json",
                "{\"by\": \"ann\"}");
        assertThat(sent.status()).as(sent.body()).isEqualTo(202);
        assertThat(sent.json().get("sequence").asLong()).isEqualTo(1);
        String token = pollToken("ops-work");
        assertThat(s.post("/api/activities/tasks/" + token + "/success", "application/json", "{}")
                        .status())
                .isEqualTo(204);
        JsonNode end = WorkflowApiTest.awaitEnd(s, "signal-1");
        assertThat(end.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(end.at("/output/approval/by").asText()).isEqualTo("ann");

        assertThat(s.post("/api/workflows/ops-approval/executions/signal-1/signals/approve", "application/json", "{}")
                        .status())
                .as("the execution has ended")
                .isEqualTo(409);
        assertThat(s.post("/api/workflows/ops-charge/executions/signal-1/signals/approve", "application/json", "{}")
                        .status())
                .as("another workflow's execution")
                .isEqualTo(404);
        assertThat(s.post("/api/workflows/ops-approval/executions/none/signals/approve", "application/json", "{}")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void aSignalSentWhileTheExecutionWaitsEndsTheWait() {
        startExecution("ops-approval", "signal-2");
        String token = pollToken("ops-work");
        assertThat(s.post("/api/activities/tasks/" + token + "/success", "application/json", "{}")
                        .status())
                .isEqualTo(204);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    List<String> states = new ArrayList<>();
                    s.get("/api/executions/signal-2/history")
                            .json()
                            .get("events")
                            .forEach(e -> {
                                if (e.get("type").asText().equals("TaskStarted"))
                                    states.add(e.get("state").asText());
                            });
                    return states.contains("Approve");
                });
        assertThat(s.get("/api/executions/signal-2").json().get("status").asText())
                .isEqualTo("RUNNING");
        assertThat(s.post(
                                "/api/workflows/ops-approval/executions/signal-2/signals/approve",
                                "application/json",
                                "{\"by\": \"bob\"}")
                        .status())
                .isEqualTo(202);
        assertThat(WorkflowApiTest.awaitEnd(s, "signal-2")
                        .at("/output/approval/by")
                        .asText())
                .isEqualTo("bob");
        assertThat(s.post(
                                "/api/workflows/ops-approval/executions/signal-2/signals/bad%20name",
                                "application/json", "{}")
                        .status())
                .isEqualTo(400);
    }

    @Test
    void historiesPastTheirRetentionAreSweptAndTheirNamesNotReused() {
        Path state = dir.resolve("retention-state");
        try (TestServer r = new TestServer(new InProcessPlugins(), state)) {
            assertThat(r.post("/api/workflows", "application/json", CHARGE.replace("activity:ops-card", "activity:ret"))
                            .status())
                    .isEqualTo(201);
            TestServer.Response started =
                    r.post("/api/workflows/ops-charge/executions", "application/json", "{\"name\": \"old-1\"}");
            assertThat(started.status()).isEqualTo(201);
            TestServer.Response task = r.post("/api/activities/ret/poll", "application/json", "{\"wait_seconds\": 30}");
            assertThat(task.status()).isEqualTo(200);
            String token = task.json().get("task_token").asText();
            assertThat(r.post("/api/executions/old-1/stop").status()).isEqualTo(200);
            assertThat(r.post("/api/activities/tasks/" + token + "/heartbeat").status())
                    .isEqualTo(409);
            r.post("/api/workflows/ops-charge/executions", "application/json", "{\"name\": \"running-1\"}");

            Instant now = Instant.now();
            assertThat(r.server.workflows().sweepHistory(Duration.ofDays(30), now.plus(Duration.ofDays(29))))
                    .isEmpty();
            assertThat(r.get("/api/executions/old-1").status()).isEqualTo(200);
            assertThat(r.server.workflows().sweepHistory(Duration.ofDays(30), now.plus(Duration.ofDays(31))))
                    .containsExactly("old-1");
            assertThat(r.get("/api/executions/old-1").status()).isEqualTo(404);
            assertThat(r.get("/api/executions/old-1/history").status()).isEqualTo(404);
            assertThat(r.post("/api/activities/tasks/" + token + "/heartbeat").status())
                    .as("nothing is kept of its task either")
                    .isEqualTo(404);
            assertThat(r.get("/api/executions/running-1").json().get("status").asText())
                    .isEqualTo("RUNNING");
            TestServer.Response reuse =
                    r.post("/api/workflows/ops-charge/executions", "application/json", "{\"name\": \"old-1\"}");
            assertThat(reuse.status()).isEqualTo(409);
            assertThat(reuse.body()).contains("history was deleted");
        }
    }

    @Test
    void schedulesAreCreatedListedTickedWithTheirMissedRunPolicyAndDeleted() {
        String body = "{\"id\": \"yearly-%s\", \"workflow\": \"ops-charge\", \"cron\": \"0 0 1 1 *\","
                + " \"input\": {\"amount\": 1}, \"missed\": \"%s\"}";
        for (String policy : List.of("skip", "run_once", "run_all")) {
            TestServer.Response r =
                    s.post("/api/schedules", "application/json", body.formatted(policy.replace('_', '-'), policy));
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            assertThat(r.json().get("missed").asText()).isEqualTo(policy);
            assertThat(r.json().get("nextRun").asText()).endsWith("-01-01T00:00:00Z");
        }
        assertThat(s.post("/api/schedules", "application/json", body.formatted("skip", "skip"))
                        .status())
                .as("replaced")
                .isEqualTo(200);
        List<String> ids = new ArrayList<>();
        s.get("/api/schedules")
                .json()
                .get("schedules")
                .forEach(x -> ids.add(x.get("id").asText()));
        assertThat(ids).contains("yearly-skip", "yearly-run-once", "yearly-run-all");

        // three new years pass while the server is down (a clock three years on): skip starts nothing,
        // run_once the latest missed run, run_all each of them
        int year = Instant.now().atZone(java.time.ZoneOffset.UTC).getYear() + 3;
        Instant later = Instant.parse(year + "-01-01T02:00:00Z");
        var ticks = s.server.workflows().tickSchedules(later);
        assertThat(ticks.get("yearly-skip").started()).isEmpty();
        assertThat(ticks.get("yearly-skip").skipped()).isEqualTo(3);
        assertThat(ticks.get("yearly-run-once").started()).containsExactly("yearly-run-once-" + year + "0101T0000Z");
        assertThat(ticks.get("yearly-run-all").started()).hasSize(3);
        assertThat(names(s.get("/api/workflows/ops-charge/executions")))
                .contains("yearly-run-once-" + year + "0101T0000Z")
                .containsAll(ticks.get("yearly-run-all").started())
                .noneMatch(n -> n.startsWith("yearly-skip-"));
        assertThat(s.get("/api/executions/yearly-run-once-" + year + "0101T0000Z")
                        .json()
                        .at("/input/amount")
                        .asInt())
                .isEqualTo(1);
        assertThat(s.server.workflows().tickSchedules(later))
                .as("nothing twice")
                .isEmpty();
        for (String n : ticks.get("yearly-run-all").started()) s.post("/api/executions/" + n + "/stop");
        s.post("/api/executions/yearly-run-once-" + year + "0101T0000Z/stop");

        assertThat(s.post("/api/schedules", "application/json", body.formatted("bad", "sometimes"))
                        .status())
                .isEqualTo(400);
        TestServer.Response badCron = s.post(
                "/api/schedules",
                "application/json",
                "{\"id\": \"c\", \"workflow\": \"ops-charge\", \"cron\": \"61 * * * *\"}");
        assertThat(badCron.status()).isEqualTo(400);
        assertThat(badCron.body()).contains("minute field");
        assertThat(s.post(
                                "/api/schedules",
                                "application/json",
                                "{\"id\": \"c\", \"workflow\": \"nope\", \"cron\": \"* * * * *\"}")
                        .status())
                .isEqualTo(404);
        for (String id : List.of("yearly-skip", "yearly-run-once", "yearly-run-all"))
            assertThat(s.delete("/api/schedules/" + id).status()).isEqualTo(204);
        assertThat(s.delete("/api/schedules/yearly-skip").status()).isEqualTo(404);
    }

    @Test
    void aTaskScheduleStartsThePipelineTaskAndSkipsAFireWhileItStillRuns() {
        // a push source runs until stopped
        s.create("nightly", """
                sources: { in: { use: push } }
                sinks: { out: { use: memory, from: in } }
                runtime: { max_wait_ms: 5 }
                """);
        TestServer.Response created = s.post(
                "/api/schedules",
                "application/json",
                "{\"id\": \"nightly-run\", \"task\": \"nightly\", \"cron\": \"30 2 * * *\","
                        + " \"timezone\": \"Europe/Paris\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("task").asText()).isEqualTo("nightly");
        assertThat(created.json().has("workflow")).isFalse();
        assertThat(created.json().get("timezone").asText()).isEqualTo("Europe/Paris");
        assertThat(s.state("nightly")).isNotEqualTo("RUNNING");

        // 02:30 in Paris (UTC+1 in winter): the fire starts the task, as POST /api/tasks/nightly/start does
        int year = Instant.now().atZone(java.time.ZoneOffset.UTC).getYear() + 1;
        var first = s.server.workflows().tickSchedules(Instant.parse(year + "-01-10T01:30:20Z"));
        assertThat(first.get("nightly-run").started()).containsExactly("nightly-run-" + year + "0110T0130Z");
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(() -> s.state("nightly").equals("RUNNING"));

        // the next night it still runs: that fire is skipped, and said so
        var second = s.server.workflows().tickSchedules(Instant.parse(year + "-01-11T01:30:20Z"));
        assertThat(second.get("nightly-run").started()).isEmpty();
        assertThat(second.get("nightly-run").skipped()).isEqualTo(1);
        String lastError = s.get("/api/schedules").json().get("schedules").findValues("lastError").stream()
                .filter(e -> e.asText().contains("nightly-run-"))
                .findFirst()
                .orElseThrow()
                .asText();
        assertThat(lastError)
                .contains("skipped nightly-run-" + year + "0111T0130Z")
                .contains("still RUNNING");
        s.post("/api/tasks/nightly/stop");
        assertThat(s.delete("/api/schedules/nightly-run").status()).isEqualTo(204);
    }

    @Test
    void aScheduleNamesExactlyOneOfWorkflowAndTaskAndAValidTimeZone() {
        TestServer.Response both = s.post(
                "/api/schedules",
                "application/json",
                "{\"id\": \"x\", \"workflow\": \"ops-charge\", \"task\": \"t\", \"cron\": \"* * * * *\"}");
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.body()).contains("'workflow'").contains("'task'");
        TestServer.Response neither =
                s.post("/api/schedules", "application/json", "{\"id\": \"x\", \"cron\": \"* * * * *\"}");
        assertThat(neither.status()).isEqualTo(400);
        assertThat(neither.body()).contains("'workflow'").contains("'task'");
        TestServer.Response zone = s.post(
                "/api/schedules",
                "application/json",
                "{\"id\": \"x\", \"workflow\": \"ops-charge\", \"cron\": \"* * * * *\", \"timezone\": \"Mars/Base\"}");
        assertThat(zone.status()).isEqualTo(400);
        assertThat(zone.body()).contains("timezone 'Mars/Base'");
        assertThat(s.post(
                                "/api/schedules",
                                "application/json",
                                "{\"id\": \"x\", \"task\": \"no-such-task\", \"cron\": \"* * * * *\"}")
                        .status())
                .isEqualTo(404);
    }
}
