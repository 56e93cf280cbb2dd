package io.dataflare.workflow.definition;

import java.util.List;
import java.util.stream.Collectors;

/** A definition that must not run, with every problem found in it. */
public final class InvalidDefinitionException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public InvalidDefinitionException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    /** The problems, in the order they were found. */
    public List<Problem> problems() {
        return problems;
    }
}
