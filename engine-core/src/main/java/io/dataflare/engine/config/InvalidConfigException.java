package io.dataflare.engine.config;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** A configuration (a pipeline file, a task file) is invalid; lists every problem found, each located. */
public class InvalidConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    /** An invalid configuration with these problems (at least one), reported in file order. */
    public InvalidConfigException(List<Problem> problems) {
        this(sorted(problems), true);
    }

    private InvalidConfigException(List<Problem> sorted, boolean unused) {
        super(sorted.stream().map(Problem::toString).collect(Collectors.joining(System.lineSeparator())));
        if (sorted.isEmpty()) throw new IllegalArgumentException("no problems");
        this.problems = sorted;
    }

    private static List<Problem> sorted(List<Problem> problems) {
        return problems.stream()
                .sorted(Comparator.comparing((Problem p) -> p.location().source())
                        .thenComparingInt(p -> p.location().line())
                        .thenComparingInt(p -> p.location().column()))
                .toList();
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
