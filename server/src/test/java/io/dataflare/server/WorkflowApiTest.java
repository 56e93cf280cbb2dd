package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.api.processor.Processor;
import io.dataflare.engine.testing.InProcessPlugins;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workflow routes end to end on a real server: registration with located problems, starts idempotent by
 * name, a Wait and a retried task, status and output, history, the event stream, stop, metrics, and an
 * execution resumed by the next server after a restart in the middle of its Wait.
 */
class WorkflowApiTest {
    /** Fails with {@code Flaky} on its first two calls of a run, then doubles {@code value}. */
    static final AtomicInteger FLAKY_CALLS = new AtomicInteger();
    /** Counts the calls of {@code count}: a recorded task must not run again after a restart. */
    static final AtomicInteger COUNT_CALLS = new AtomicInteger();

    static final class Flaky extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Flaky(String message) {
            super(message);
        }
    }

    static InProcessPlugins plugins() {
        return new InProcessPlugins()
                .processor(
                        "flaky",
                        () -> Processor.mapping(r -> {
                            int call = FLAKY_CALLS.incrementAndGet();
                            if (call <= 2) throw new Flaky("call " + call + " fails");
                            return r.toBuilder()
                                    .set("doubled", r.getLong("value") * 2)
                                    .set("calls", (long) call)
                                    .build();
                        }))
                .processor(
                        "count",
                        () -> Processor.mapping(r -> r.toBuilder()
                                .set("counted", (long) COUNT_CALLS.incrementAndGet())
                                .build()));
    }

    static final String WAIT_AND_RETRY = """
            {"id": "wait-retry", "definition": {
              "StartAt": "Pause",
              "States": {
                "Pause": {"Type": "Wait", "Seconds": 1, "Next": "Double"},
                "Double": {"Type": "Task", "Resource": "plugin:flaky", "End": true,
                           "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "BackoffRate": 1.0,
                                      "MaxAttempts": 3}]}
              }
            }}
            """;

    @TempDir
    static Path dir;

    static TestServer s;

    @BeforeAll
    static void start() {
        s = new TestServer(plugins(), dir.resolve("state"));
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    @Test
    void anInvalidDefinitionIsRefusedWithEveryProblemAtItsLineAndColumn() {
        String body = """
                {"id": "broken", "definition": {
                  "StartAt": "First",
                  "States": {
                    "First": {"Type": "Task", "Resource": "plugin:no-such-plugin", "Next": "Nowhere"}
                  }
                }}
                """;
        TestServer.Response r = s.post("/api/workflows", "application/json", body);
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.json().get("code").asText()).isEqualTo("invalid_workflow");
        List<String> problems = new ArrayList<>();
        r.json().get("problems").forEach(p -> problems.add(p.get("problem").asText()));
        assertThat(problems).hasSizeGreaterThanOrEqualTo(2).allMatch(p -> p.matches("\\d+:\\d+: .+"));
        // both are on line 4 of the body, where the state says them
        assertThat(problems).anyMatch(p -> p.startsWith("4:") && p.contains("Nowhere"));
        assertThat(problems).anyMatch(p -> p.startsWith("4:") && p.contains("no-such-plugin"));
        assertThat(s.get("/api/workflows/broken").status()).isEqualTo(404);
        assertThat(s.post("/api/workflows", "application/json", "[1]").status()).isEqualTo(400);
    }

    @Test
    void anExecutionStartedTwiceByNameRunsOnceThroughItsWaitAndRetries() {
        FLAKY_CALLS.set(0);
        assertThat(s.post("/api/workflows", "application/json", WAIT_AND_RETRY).status())
                .isEqualTo(201);
        assertThat(s.post("/api/workflows", "application/json", WAIT_AND_RETRY).status())
                .as("registered again: replaced")
                .isEqualTo(200);
        assertThat(s.get("/api/workflows/wait-retry")
                        .json()
                        .at("/definition/StartAt")
                        .asText())
                .isEqualTo("Pause");

        String start = "{\"name\": \"order-1\", \"input\": {\"value\": 21}}";
        TestServer.Response first = s.post("/api/workflows/wait-retry/executions", "application/json", start);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(first.json().get("execution").asText()).isEqualTo("order-1");
        TestServer.Response again = s.post("/api/workflows/wait-retry/executions", "application/json", start);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().get("created").asBoolean()).isFalse();
        assertThat(s.get("/api/executions?workflow=wait-retry").json().get("executions"))
                .hasSize(1);

        JsonNode done = awaitEnd("order-1");
        assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.at("/output/doubled").asLong()).isEqualTo(42);
        assertThat(done.at("/output/calls").asLong()).isEqualTo(3);
        assertThat(FLAKY_CALLS.get()).as("one execution: three attempts in all").isEqualTo(3);

        List<String> types = new ArrayList<>();
        s.get("/api/executions/order-1/history")
                .json()
                .get("events")
                .forEach(e -> types.add(e.get("type").asText()));
        assertThat(types).startsWith("ExecutionStarted").endsWith("ExecutionSucceeded");
        assertThat(types)
                .containsSubsequence("WaitStarted", "WaitFired", "RetryScheduled", "RetryScheduled", "TaskSucceeded");
        assertThat(types.stream().filter("RetryScheduled"::equals)).hasSize(2);

        String stream = s.get("/api/executions/order-1/events").body();
        assertThat(stream).contains("id: 1\nevent: event\n").contains("\"type\":\"WaitFired\"");
        assertThat(stream.indexOf("event: end")).isGreaterThan(stream.lastIndexOf("ExecutionSucceeded"));

        assertThat(s.get("/api/executions?status=SUCCEEDED")
                        .json()
                        .get("executions")
                        .toString())
                .contains("order-1");
        assertThat(s.get("/api/executions?status=RUNNING")
                        .json()
                        .get("executions")
                        .toString())
                .doesNotContain("order-1");
        assertThat(s.get("/api/executions?status=bogus").status()).isEqualTo(400);

        // the mutating calls are in the audit log, as every other route's
        String audit = s.get("/api/audit?limit=1000").body();
        assertThat(audit)
                .contains("POST /api/workflows\"")
                .contains("POST /api/workflows/{id}/executions")
                .contains("/api/workflows/wait-retry/executions");

        String metrics = s.get("/metrics").body();
        assertThat(metrics)
                .contains("dataflare_workflow_executions_started_total{workflow=\"wait-retry\"} 1.0")
                .contains("dataflare_workflow_retries_total{workflow=\"wait-retry\"} 2.0")
                .contains("dataflare_workflow_executions_ended_total{status=\"SUCCEEDED\",workflow=\"wait-retry\"} 1.0")
                .contains("dataflare_workflow_task_duration_seconds_count{")
                .contains("dataflare_workflow_timers_pending{workflow=\"wait-retry\"}");
    }

    @Test
    void aRunningExecutionIsStoppedAborted() {
        String body = """
                {"id": "long-wait", "definition": {"StartAt": "Sleep", "States": {
                  "Sleep": {"Type": "Wait", "Seconds": 600, "End": true}}}}
                """;
        assertThat(s.post("/api/workflows", "application/json", body).status()).isEqualTo(201);
        assertThat(s.post("/api/workflows/long-wait/executions", "application/json", "{\"name\": \"sleepy\"}")
                        .status())
                .isEqualTo(201);
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> s.get("/api/executions/sleepy")
                                .json()
                                .get("status")
                                .asText(),
                        "RUNNING"::equals);
        TestServer.Response stopped =
                s.post("/api/executions/sleepy/stop", "application/json", "{\"cause\": \"not needed\"}");
        assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
        assertThat(stopped.json().get("status").asText())
                .as(s.get("/api/executions/sleepy/history").body())
                .isEqualTo("ABORTED");
        assertThat(stopped.json().get("cause").asText()).isEqualTo("not needed");
        assertThat(s.post("/api/executions/sleepy/stop").status())
                .as("ended already")
                .isEqualTo(409);
        assertThat(s.post("/api/executions/nobody/stop").status()).isEqualTo(404);
        assertThat(s.get("/api/executions/nobody").status()).isEqualTo(404);
        assertThat(s.post("/api/workflows/nothing/executions", "application/json", "{}")
                        .status())
                .isEqualTo(404);
        assertThat(s.post("/api/workflows/wait-retry/executions", "application/json", "{\"name\": \"sleepy\"}")
                        .status())
                .as("the name belongs to another workflow's execution")
                .isIn(404, 409);
    }

    @Test
    void anExecutionInItsWaitWhenTheServerStopsIsResumedByTheNextAndFinishes(@TempDir Path state) throws Exception {
        COUNT_CALLS.set(0);
        String body = """
                {"id": "count-wait-count", "definition": {"StartAt": "Before", "States": {
                  "Before": {"Type": "Task", "Resource": "plugin:count", "ResultPath": "$.before", "Next": "Pause"},
                  "Pause": {"Type": "Wait", "Seconds": 3, "Next": "After"},
                  "After": {"Type": "Task", "Resource": "plugin:count", "ResultPath": "$.after", "End": true}}}}
                """;
        try (TestServer first = new TestServer(plugins(), state)) {
            assertThat(first.post("/api/workflows", "application/json", body).status())
                    .isEqualTo(201);
            assertThat(first.post(
                                    "/api/workflows/count-wait-count/executions",
                                    "application/json",
                                    "{\"name\": \"resumed\", \"input\": {\"k\": 1}}")
                            .status())
                    .isEqualTo(201);
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            first.get("/api/executions/resumed/history").body().contains("WaitStarted"));
        }
        assertThat(COUNT_CALLS.get()).isEqualTo(1);
        try (TestServer second = new TestServer(plugins(), state)) {
            JsonNode done = awaitEnd(second, "resumed");
            assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
            assertThat(done.at("/output/before/counted").asLong()).isEqualTo(1);
            assertThat(done.at("/output/after/counted").asLong())
                    .as("the first task was not run again")
                    .isEqualTo(2);
            assertThat(done.at("/output/k").asInt()).isEqualTo(1);
            String history = second.get("/api/executions/resumed/history").body();
            assertThat(history.split("\"ExecutionStarted\"", -1)).hasSize(2);
            assertThat(history.split("\"WaitFired\"", -1)).hasSize(2);
        }
        assertThat(COUNT_CALLS.get()).isEqualTo(2);
    }

    static JsonNode awaitEnd(String execution) {
        return awaitEnd(s, execution);
    }

    static JsonNode awaitEnd(TestServer server, String execution) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    last[0] = server.get("/api/executions/" + execution).json();
                    String st = last[0].path("status").asText();
                    return !st.equals("RUNNING") && !st.equals("NOT_STARTED");
                });
        return last[0];
    }
}
