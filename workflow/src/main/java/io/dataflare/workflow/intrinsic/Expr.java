package io.dataflare.workflow.intrinsic;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A parsed intrinsic function argument: a call, a path, or a literal. */
public sealed interface Expr {
    /** {@code States.Name(args...)}. */
    record Call(String name, List<Expr> args, int offset) implements Expr {}

    /** {@code $.a.b} on the input or {@code $$.Execution.Id} on the context object. */
    record PathRef(String path, int offset) implements Expr {}

    /**
     * A string, number, boolean or null. For a string, {@code template} is its text with every unescaped
     * {@code {}} replaced by {@link IntrinsicParser#PLACEHOLDER} (what {@code States.Format} fills in).
     */
    record Literal(JsonNode value, String template, int offset) implements Expr {}
}
