package io.dataflare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

class DataflareCommandTest {
    @Test
    void aCommandLineNamingASubcommandBuildsOnlyThatOne() {
        assertThat(DataflareCommand.needed("run", "p.yaml", "--json")).containsExactly(RunCommand.class);
        assertThat(DataflareCommand.needed("task", "list")).containsExactly(io.dataflare.cli.client.TaskCommand.class);
        assertThat(DataflareCommand.needed("--version")).isEmpty();
        // the completion script covers every command
        assertThat(DataflareCommand.needed("completion", "bash")).isEqualTo(DataflareCommand.SUBCOMMANDS);
    }

    @Test
    void helpAndUnknownCommandsStillSeeEverySubcommand() {
        assertThat(DataflareCommand.needed()).isEqualTo(DataflareCommand.SUBCOMMANDS);
        assertThat(DataflareCommand.needed("--help")).isEqualTo(DataflareCommand.SUBCOMMANDS);
        assertThat(DataflareCommand.needed("rnu", "p.yaml")).isEqualTo(DataflareCommand.SUBCOMMANDS);

        StringWriter out = new StringWriter();
        assertThat(Main.execute(new PrintWriter(out), new PrintWriter(new StringWriter()), "--help"))
                .isEqualTo(ExitCodes.OK);
        for (Class<?> c : DataflareCommand.SUBCOMMANDS)
            assertThat(out.toString()).contains(c.getAnnotation(Command.class).name());

        StringWriter err = new StringWriter();
        assertThat(Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "rnu", "p.yaml"))
                .isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("rnu").contains("see 'dataflare --help'");
    }

    @Test
    void aSubcommandBuiltAloneKeepsItsQualifiedNameAndHandlers() {
        StringWriter out = new StringWriter();
        assertThat(Main.execute(new PrintWriter(out), new PrintWriter(new StringWriter()), "task", "list", "--help"))
                .isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("Usage: dataflare task list");

        StringWriter err = new StringWriter();
        assertThat(Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "validate"))
                .isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("PIPELINE").contains("see 'dataflare validate --help'");
    }
}
