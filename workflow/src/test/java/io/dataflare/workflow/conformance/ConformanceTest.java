package io.dataflare.workflow.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dataflare.workflow.TestTasks;
import io.dataflare.workflow.definition.InvalidDefinitionException;
import io.dataflare.workflow.definition.LocatedJson;
import io.dataflare.workflow.definition.Problem;
import io.dataflare.workflow.definition.StateMachine;
import io.dataflare.workflow.interpreter.ExecutionResult;
import io.dataflare.workflow.interpreter.InMemoryHistory;
import io.dataflare.workflow.interpreter.TaskInvoker;
import io.dataflare.workflow.interpreter.VirtualClock;
import io.dataflare.workflow.interpreter.WorkflowEngine;
import io.dataflare.workflow.path.JsonEquality;
import io.dataflare.workflow.validation.Definitions;
import io.dataflare.workflow.validation.ResourceCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance suite: every {@code conformance/<area>/<case>.json} holds a definition (or names a
 * definition file beside it), an input, and what must come out: {@code expect} with the status and the output
 * or the error (and a substring of the cause), or {@code expectProblems} with substrings of the validation
 * problems ({@code line:column: message}, lines of the case file). Tasks use {@link TestTasks}, or real plugins
 * when the case says {@code "tasks": "plugins"}. Waits and retry delays run on a virtual clock.
 */
class ConformanceTest {
    static final Path ROOT = Path.of("src/test/resources/conformance");
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    static Stream<String> cases() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files
                    .filter(p -> p.toString().endsWith(".case.json"))
                    .map(p -> ROOT.relativize(p).toString())
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @AfterAll
    static void closePlugins() {
        PluginTasks.closeAll();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void conformance(String name) throws Exception {
        Path file = ROOT.resolve(name);
        LocatedJson doc = LocatedJson.read(Files.readString(file, StandardCharsets.UTF_8), file.toString(), false);
        JsonNode c = doc.root();
        boolean plugins = "plugins".equals(c.path("tasks").asText());
        TaskInvoker tasks = plugins ? PluginTasks.invoker(file.getParent()) : new TestTasks();
        ResourceCheck check = plugins ? PluginTasks.check(file.getParent()) : TestTasks.CHECK;

        if (c.has("expectProblems")) {
            assertThatThrownBy(() -> load(doc, c, file, check))
                    .isInstanceOf(InvalidDefinitionException.class)
                    .satisfies(e -> {
                        List<String> problems = ((InvalidDefinitionException) e)
                                .problems().stream().map(Problem::toString).toList();
                        for (JsonNode expected : c.get("expectProblems")) {
                            assertThat(problems)
                                    .as("problems of %s", name)
                                    .anySatisfy(p -> assertThat(p).contains(expected.asText()));
                        }
                        if (c.has("problemCount"))
                            assertThat(problems).hasSize(c.get("problemCount").asInt());
                    });
            return;
        }

        StateMachine machine = load(doc, c, file, check);
        WorkflowEngine engine = new WorkflowEngine(tasks, new VirtualClock(START), new InMemoryHistory());
        JsonNode input = c.has("input") ? c.get("input") : JsonNodeFactory.instance.objectNode();
        ExecutionResult r = engine.run(machine, "case", input);
        JsonNode expect = c.get("expect");
        assertThat(r.status().name())
                .as("status of %s (%s)", name, r)
                .isEqualTo(expect.path("status").asText("SUCCEEDED"));
        if (expect.has("output"))
            assertThat(JsonEquality.equal(r.output(), expect.get("output")))
                    .as("output of %s: %s, expected %s", name, r.output(), expect.get("output"))
                    .isTrue();
        if (expect.has("error"))
            assertThat(r.error())
                    .as("error of %s", name)
                    .isEqualTo(expect.get("error").asText());
        if (expect.has("cause"))
            assertThat(r.cause())
                    .as("cause of %s", name)
                    .contains(expect.get("cause").asText());
        if (expect.has("outputMatches")) {
            assertThat(r.output().toString())
                    .as("output of %s", name)
                    .matches(expect.get("outputMatches").asText());
        }
    }

    private static StateMachine load(LocatedJson doc, JsonNode c, Path file, ResourceCheck check)
            throws InvalidDefinitionException {
        if (c.has("definitionFile"))
            return Definitions.load(file.resolveSibling(c.get("definitionFile").asText()), check);
        return Definitions.check(doc.subtree("/definition"), check);
    }
}
