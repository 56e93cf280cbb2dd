package io.dataflare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.cli.client.TaskCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
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
    void aGroupsSubcommandsAreBuiltTheSameWay() {
        List<Class<?>> all = TaskCommand.SUBCOMMANDS;
        assertThat(DataflareCommand.neededInGroup("task", "task", "list", "--json"))
                .containsExactly(all.get(0))
                .allMatch(c -> c.getAnnotation(Command.class).name().equals("list"));
        // help, a mistyped subcommand, and another command (completion) see all of them
        assertThat(DataflareCommand.neededInGroup("task", "task")).isEqualTo(all);
        assertThat(DataflareCommand.neededInGroup("task", "task", "--help")).isEqualTo(all);
        assertThat(DataflareCommand.neededInGroup("task", "task", "lsit")).isEqualTo(all);
        assertThat(DataflareCommand.neededInGroup("task", "completion", "list")).isEqualTo(all);

        StringWriter out = new StringWriter();
        assertThat(Main.execute(new PrintWriter(out), new PrintWriter(new StringWriter()), "task", "--help"))
                .isEqualTo(ExitCodes.OK);
        for (Class<?> c : all)
            assertThat(out.toString()).contains(c.getAnnotation(Command.class).name());

        StringWriter err = new StringWriter();
        assertThat(Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "task", "lsit"))
                .isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("lsit").contains("see 'dataflare task --help'");

        StringWriter script = new StringWriter();
        assertThat(Main.execute(new PrintWriter(script), new PrintWriter(new StringWriter()), "completion", "bash"))
                .isEqualTo(ExitCodes.OK);
        assertThat(script.toString()).contains("subscribe").contains("push");
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
