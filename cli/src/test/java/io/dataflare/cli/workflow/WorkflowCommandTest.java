package io.dataflare.cli.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.cli.Main;
import io.dataflare.engine.state.FileStateStore;
import io.dataflare.engine.state.StateStore;
import io.dataflare.workflow.durable.StoreHistory;
import io.dataflare.workflow.interpreter.EventType;
import io.dataflare.workflow.interpreter.HistoryEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dataflare workflow validate | run} on definitions written by the test, with a JavaScript plugin as a task. */
class WorkflowCommandTest {
    static final String SCRIPT = """
            export const manifest = { id: 'check-value', version: '1.0.0', kind: 'processor', requires: '^1.0' };
            class ValueTooLow extends Error { constructor(m) { super(m); this.name = 'ValueTooLow'; } }
            export function map(r) {
              if (r.value < 10) throw new ValueTooLow(`value ${r.value} is below 10`);
              return { ...r, doubled: r.value * 2 };
            }
            """;
    static final String DEFINITION = """
            {
              "StartAt": "Check",
              "States": {
                "Check": {"Type": "Task", "Resource": "check-value.js", "Next": "Done",
                          "Catch": [{"ErrorEquals": ["ValueTooLow"], "ResultPath": "$.error", "Next": "TooLow"}]},
                "TooLow": {"Type": "Fail", "ErrorPath": "$.error.Error", "CausePath": "$.error.Cause"},
                "Done": {"Type": "Succeed"}
              }
            }
            """;

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
        JsonNode lastLineJson() throws Exception {
            List<String> lines = out.lines().toList();
            return new ObjectMapper().readTree(lines.get(lines.size() - 1));
        }
    }

    private Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(exit, out.toString(), err.toString());
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void validateAcceptsAValidDefinition() throws Exception {
        write("check-value.js", SCRIPT);
        Path wf = write("wf.asl.json", DEFINITION);
        Result r = cli("workflow", "validate", wf.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("valid workflow, 3 states");
    }

    @Test
    void validateReportsEveryProblemAtItsLineAndExits2() throws Exception {
        Path wf = write("bad.asl.json", """
                {
                  "StartAt": "A",
                  "States": {
                    "A": {"Type": "Task", "Resource": "missing.js", "Next": "B"},
                    "B": {"Type": "Pass", "Nxt": "A", "End": true},
                    "C": {"Type": "Succeed"}
                  }
                }
                """);
        Result r = cli("workflow", "validate", wf.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines())
                .anySatisfy(l -> assertThat(l)
                        .startsWith(wf + ":4:")
                        .contains("state 'A'")
                        .contains("missing.js"))
                .anySatisfy(l -> assertThat(l).isEqualTo(wf + ":5:27: unknown field 'Nxt' in a Pass state ('B')"))
                .anySatisfy(l -> assertThat(l).isEqualTo(wf + ":6:5: state 'C' cannot be reached from StartAt 'A'"))
                .anySatisfy(l -> assertThat(l).isEqualTo("3 problems found; nothing was run."));
    }

    @Test
    void runPrintsTheOutcomeAsJsonAndExits0OnSuccess() throws Exception {
        write("check-value.js", SCRIPT);
        Path wf = write("wf.asl.json", DEFINITION);
        Result r = cli(
                "workflow",
                "run",
                wf.toString(),
                "--input",
                "{\"value\": 21}",
                "--name",
                "run-1",
                "--state-dir",
                dir.resolve("state").toString(),
                "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = r.lastLineJson();
        assertThat(j.get("execution").asText()).isEqualTo("run-1");
        assertThat(j.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(j.get("output")).isEqualTo(new ObjectMapper().readTree("{\"value\": 21, \"doubled\": 42}"));
    }

    @Test
    void aPluginErrorIsCaughtByItsNameAndTheRunExits1() throws Exception {
        write("check-value.js", SCRIPT);
        Path wf = write("wf.asl.json", DEFINITION);
        Path input = write("in.json", "{\"value\": 4}");
        Result r = cli("workflow", "run", wf.toString(), "--input", "@" + input, "--state", "memory:", "--json");
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        JsonNode j = r.lastLineJson();
        assertThat(j.get("status").asText()).isEqualTo("FAILED");
        assertThat(j.get("error").asText()).isEqualTo("ValueTooLow");
        assertThat(j.get("cause").asText()).isEqualTo("value 4 is below 10");
    }

    @Test
    void runRefusesAnInvalidDefinitionWithExit2() throws Exception {
        Path wf = write("wf.asl.yaml", "StartAt: A\nStates:\n  A:\n    Type: Pass\n");
        Result r = cli("workflow", "run", wf.toString(), "--json");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(wf + ":4:5: state 'A' has neither Next nor End: true");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aNamedRunIsKeptInTheStateStoreAndRunningItAgainAnswersItsRecordedEnd() throws Exception {
        write("check-value.js", SCRIPT);
        Path wf = write("wf.asl.json", DEFINITION);
        String state = dir.resolve("state").toString();
        Result first = cli(
                "workflow",
                "run",
                wf.toString(),
                "--input",
                "{\"value\": 21}",
                "--name",
                "order-1",
                "--state-dir",
                state,
                "--json");
        assertThat(first.exit()).as(first.err()).isZero();
        // the same name with another input: the recorded execution's end, nothing run again
        Result again = cli(
                "workflow",
                "run",
                wf.toString(),
                "--input",
                "{\"value\": 3}",
                "--name",
                "order-1",
                "--state-dir",
                state,
                "--json");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.lastLineJson()).isEqualTo(first.lastLineJson());

        Result history = cli("workflow", "history", "order-1", "--state-dir", state, "--json");
        assertThat(history.exit()).as(history.err()).isZero();
        JsonNode events = new ObjectMapper().readTree(history.out());
        assertThat(events.get(0).get("type").asText()).isEqualTo("ExecutionStarted");
        assertThat(events.get(events.size() - 1).get("type").asText()).isEqualTo("ExecutionSucceeded");
        for (int i = 0; i < events.size(); i++)
            assertThat(events.get(i).get("sequence").asInt()).isEqualTo(i + 1);

        Result lines = cli("workflow", "history", "order-1", "--state-dir", state);
        assertThat(lines.out().lines()).hasSize(events.size());
        assertThat(lines.out().lines().toList().get(0)).startsWith("1 ").contains("ExecutionStarted");

        Result missing = cli("workflow", "history", "nope", "--state-dir", state);
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("no execution 'nope'");
    }

    @Test
    void runResumesAnUnfinishedExecutionOfTheSameNameFromItsHistory() throws Exception {
        write("check-value.js", SCRIPT);
        Path wf = write("wf.asl.json", DEFINITION);
        Path state = dir.resolve("state");
        // a process that recorded the start of 'order-2' with value 30 and died
        try (StateStore store = new FileStateStore(state)) {
            new StoreHistory(store)
                    .append(
                            "order-2",
                            0,
                            HistoryEvent.of(EventType.ExecutionStarted, "", null)
                                    .withExecution("order-2")
                                    .withInput(new ObjectMapper().readTree("{\"value\": 30}"))
                                    .numbered(1, Instant.now()));
        }
        Result r = cli(
                "workflow",
                "run",
                wf.toString(),
                "--input",
                "{\"value\": 1}",
                "--name",
                "order-2",
                "--state-dir",
                state.toString(),
                "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.lastLineJson().get("output"))
                .isEqualTo(new ObjectMapper().readTree("{\"value\": 30, \"doubled\": 60}"));
    }

    @Test
    void aFailedExecutionIsRedrivenFromItsFailedStateOnceItsStepIsFixed() throws Exception {
        write("check-value.js", SCRIPT);
        Path wf = write("redrive.asl.json", """
                {"StartAt": "Prepare", "States": {
                  "Prepare": {"Type": "Pass", "Result": 1, "ResultPath": "$.prepared", "Next": "Check"},
                  "Check": {"Type": "Task", "Resource": "check-value.js", "End": true}}}
                """);
        String state = dir.resolve("state").toString();
        Result failed = cli(
                "workflow",
                "run",
                wf.toString(),
                "--input",
                "{\"value\": 3}",
                "--name",
                "o-1",
                "--state-dir",
                state,
                "--json");
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.lastLineJson().get("error").asText()).isEqualTo("ValueTooLow");

        // the step is fixed (the limit lowered): the execution goes on from Check with the input Check had
        write("check-value.js", SCRIPT.replace("r.value < 10", "r.value < 0"));
        Result redriven =
                cli("workflow", "run", wf.toString(), "--name", "o-1", "--redrive", "--state-dir", state, "--json");
        assertThat(redriven.exit()).as(redriven.err()).isZero();
        assertThat(redriven.lastLineJson().get("output"))
                .isEqualTo(new ObjectMapper().readTree("{\"value\": 3, \"prepared\": 1, \"doubled\": 6}"));
        JsonNode events = new ObjectMapper()
                .readTree(cli("workflow", "history", "o-1", "--state-dir", state, "--json")
                        .out());
        List<String> types = new java.util.ArrayList<>();
        events.forEach(e -> types.add(e.get("type").asText()));
        assertThat(types).containsSubsequence("ExecutionFailed", "ExecutionRedriven", "ExecutionSucceeded");

        Result again = cli("workflow", "run", wf.toString(), "--name", "o-1", "--redrive", "--state-dir", state);
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("is SUCCEEDED");
        assertThat(cli("workflow", "run", wf.toString(), "--redrive", "--state-dir", state)
                        .exit())
                .isEqualTo(2);
    }
}
