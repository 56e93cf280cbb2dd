package io.dataflare.cli.workflow;

import io.dataflare.cli.ExitCodes;
import io.dataflare.workflow.definition.InvalidDefinitionException;
import io.dataflare.workflow.definition.Problem;
import java.io.PrintWriter;

/** Prints a definition's problems as {@code file:line:column: message} lines. */
final class WorkflowProblems {
    private WorkflowProblems() {}

    static int print(InvalidDefinitionException e, PrintWriter err) {
        for (Problem p : e.problems()) err.println(p);
        int n = e.problems().size();
        err.println(n + (n == 1 ? " problem" : " problems") + " found; nothing was run.");
        err.flush();
        return ExitCodes.INVALID;
    }
}
