package io.dataflare.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code dataflare}: runs pipelines, validates them, inspects plugins, serves tasks and manages them. Its
 * subcommands are added by {@link Main#commandLine(String...)}, only the one a command line names when it names
 * one: picocli builds a command's whole model (every option, by reflection) when it is added, and building all of
 * them cost a short command most of its start-up.
 */
@Command(
        name = "dataflare",
        mixinStandardHelpOptions = true,
        versionProvider = VersionInfo.class,
        description =
                "A pluggable data-flow engine: pipelines of sources, processors and sinks from Java, WASM and script plugins.",
        usageHelpAutoWidth = true)
final class DataflareCommand extends CommandGroup {
    /** The subcommands, in the order {@code --help} lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(
            RunCommand.class,
            ValidateCommand.class,
            ReplayCommand.class,
            PluginsCommand.class,
            AuditCommand.class,
            StateCommand.class,
            io.dataflare.cli.server.ServeCommand.class,
            io.dataflare.cli.server.EdgeCommand.class,
            io.dataflare.cli.client.TaskCommand.class,
            io.dataflare.cli.client.ShellCommand.class,
            io.dataflare.cli.workflow.WorkflowCommand.class,
            SchemaCommand.class,
            CompletionCommand.class,
            io.dataflare.cli.client.ApprovalsCommand.class,
            DaemonCommand.class);

    /**
     * The subcommands a command line needs: the one it names, none for {@code --version}, else all (help, a
     * mistyped command's error, and {@code completion}, whose script covers every command).
     */
    static List<Class<?>> needed(String... args) {
        if (args.length == 0) return SUBCOMMANDS;
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) return List.of();
        return args[0].equals("completion") ? SUBCOMMANDS : named(SUBCOMMANDS, args[0]);
    }

    /**
     * The subcommands of the groups whose own subcommands are added the same way, by group: the one a command line
     * names after the group's name, else all of them.
     */
    static final Map<String, List<Class<?>>> GROUPS = Map.of("task", io.dataflare.cli.client.TaskCommand.SUBCOMMANDS);

    /** The subcommands {@code group} needs for {@code args}. */
    static List<Class<?>> neededInGroup(String group, String... args) {
        List<Class<?>> all = GROUPS.get(group);
        return args.length > 1 && args[0].equals(group) ? named(all, args[1]) : all;
    }

    /** The command of {@code commands} called {@code name}, else all of them. */
    private static List<Class<?>> named(List<Class<?>> commands, String name) {
        for (Class<?> c : commands) {
            if (c.getAnnotation(Command.class).name().equals(name)) return List.of(c);
        }
        return commands;
    }
}
