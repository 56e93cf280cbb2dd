package io.dataflare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code dataflare completion SHELL}: picocli's script for the whole command tree, or a clear refusal. */
class CompletionCommandTest {
    private record Result(int exit, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void bashScriptCompletesSubcommandsAndTheirOptions() {
        Result r = run("completion", "bash");
        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains("complete -F _complete_dataflare")
                .contains("_picocli_dataflare_schema_pipeline")
                .contains("--plugins")
                .contains("workflow");
    }

    @Test
    void refusesAShellItCannotComplete() {
        Result r = run("completion", "fish");
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.err()).contains("fish");
    }
}
