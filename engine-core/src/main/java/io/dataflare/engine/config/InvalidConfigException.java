package io.dataflare.engine.config;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration (a pipeline file, a task file) is invalid; lists every problem found, each located. */
public class InvalidConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    /** An invalid configuration with these problems (at least one). */
    public InvalidConfigException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining(System.lineSeparator())));
        if (problems.isEmpty()) throw new IllegalArgumentException("no problems");
        this.problems = List.copyOf(problems);
    }

    /** One problem. */
    public InvalidConfigException(Location location, String message) {
        this(List.of(new Problem(location, message)));
    }

    /** The problems, in the order found. */
    public List<Problem> problems() {
        return problems;
    }
}
