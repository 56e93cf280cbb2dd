package io.dataflare.cli.workflow;

import io.dataflare.cli.ExitCodes;
import io.dataflare.cli.StateOptions;
import io.dataflare.engine.state.StateStore;
import io.dataflare.workflow.durable.StoreHistory;
import io.dataflare.workflow.interpreter.HistoryEvent;
import io.dataflare.workflow.interpreter.HistoryJson;
import java.io.PrintWriter;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dataflare workflow history NAME}: an execution's events as the state store keeps them. */
@Command(
        name = "history",
        mixinStandardHelpOptions = true,
        description = {
            "Prints the history of an execution run by 'workflow run': one event per line, or with --json one JSON"
                    + " array of the events.",
            "Exit code: 0 printed, 1 no such execution in the store, 2 invalid options."
        })
public final class WorkflowHistoryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The execution's name (workflow run --name).")
    String name;

    @Option(names = "--json", description = "Print the events as one JSON array.")
    boolean json;

    @Mixin
    StateOptions state;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        var problem = state.problem();
        if (problem.isPresent()) {
            err.println(problem.get().location().source() + ": " + problem.get().message());
            return ExitCodes.INVALID;
        }
        try (StateStore store = state.open()) {
            List<HistoryEvent> events = new StoreHistory(store).read(name);
            if (events.isEmpty()) {
                err.println("no execution '" + name + "' in " + store.describe());
                return ExitCodes.FAILED;
            }
            if (json) {
                StringJoiner array = new StringJoiner(",", "[", "]");
                for (HistoryEvent e : events) array.add(HistoryJson.write(e));
                out.println(array);
            } else {
                for (HistoryEvent e : events) out.println(line(e));
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code SEQ TIMESTAMP TYPE [SCOPE] [STATE] [details]}: what a reader needs to follow the execution. */
    static String line(HistoryEvent e) {
        StringBuilder b = new StringBuilder();
        b.append(e.sequence()).append(' ').append(e.timestamp()).append(' ').append(e.type());
        if (!e.scope().isEmpty()) b.append(" scope=").append(e.scope());
        if (e.state() != null) b.append(" state=").append(e.state());
        if (e.attempt() != null) b.append(" attempt=").append(e.attempt());
        if (e.index() != null) b.append(" index=").append(e.index());
        if (e.fireAt() != null) b.append(" fireAt=").append(e.fireAt());
        if (e.taskKey() != null) b.append(" key=").append(e.taskKey());
        if (e.next() != null) b.append(" next=").append(e.next());
        if (e.input() != null) b.append(" input=").append(e.input());
        if (e.output() != null) b.append(" output=").append(e.output());
        if (e.error() != null) b.append(" error=").append(e.error());
        if (e.cause() != null) b.append(" cause=").append(e.cause());
        return b.toString();
    }
}
