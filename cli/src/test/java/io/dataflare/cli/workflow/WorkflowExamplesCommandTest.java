package io.dataflare.cli.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped workflow examples through {@code dataflare workflow run FILE --input @FILE --json} and
 * {@code workflow history NAME --json}, as workflow/README.md runs them (their steps are JavaScript files).
 */
class WorkflowExamplesCommandTest {
    static final Path EXAMPLES = Path.of("..", "examples", "workflows");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
        JsonNode lastLineJson() throws Exception {
            List<String> lines = out.lines().toList();
            return JSON.readTree(lines.get(lines.size() - 1));
        }
    }

    private Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(exit, out.toString(), err.toString());
    }

    private Result run(String definition, String input, String name) {
        return cli(
                "workflow",
                "run",
                EXAMPLES.resolve(definition).toString(),
                "--input",
                "@" + EXAMPLES.resolve(input),
                "--name",
                name,
                "--state-dir",
                dir.resolve("state").toString(),
                "--json");
    }

    @Test
    void theSagaWithADeclinedCardFailsAfterCompensatingInReverseOrder() throws Exception {
        Result r = run("travel-saga.asl.json", "travel-saga.declined.input.json", "trip-2");
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        JsonNode j = r.lastLineJson();
        assertThat(j.get("status").asText()).isEqualTo("FAILED");
        assertThat(j.get("error").asText()).isEqualTo("CardDeclined");
        assertThat(j.get("cause").asText())
                .isEqualTo("card declined: 1200 is above the limit of 500 (operations in order: "
                        + "[\"book-hotel\",\"book-flight\",\"cancel-flight\",\"cancel-hotel\"])");

        Result h = cli(
                "workflow",
                "history",
                "trip-2",
                "--state-dir",
                dir.resolve("state").toString(),
                "--json");
        assertThat(h.exit()).as(h.err()).isZero();
        List<String> succeeded = new ArrayList<>();
        for (JsonNode e : JSON.readTree(h.out()))
            if (e.get("type").asText().equals("TaskSucceeded"))
                succeeded.add(e.get("state").asText());
        assertThat(succeeded).containsExactly("BookHotel", "BookFlight", "CancelFlight", "CancelHotel");
    }

    @Test
    void theStepFlowExampleFailsAsShippedAndSucceedsWithXTwo() throws Exception {
        Result shipped = run("stepflow-full.asl.json", "stepflow-full.input.json", "stepflow-1");
        assertThat(shipped.exit()).as(shipped.err()).isEqualTo(1);
        assertThat(shipped.lastLineJson().get("error").asText()).isEqualTo("ValueTooLow");

        Result pass = run("stepflow-full.asl.json", "stepflow-full.pass.input.json", "stepflow-2");
        assertThat(pass.exit()).as(pass.err()).isZero();
        JsonNode out = pass.lastLineJson().get("output");
        assertThat(out.get("mapped")).hasSize(3);
        assertThat(out.at("/parallel/1/step").asText()).isEqualTo("log.parallel.2");
    }
}
