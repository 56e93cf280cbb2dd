package io.dataflare.workflow.path;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;

/**
 * JSON equality as the States language means it: numbers are equal when their values are ({@code 1}, {@code 1.0}
 * and a long 1 are one number), whatever Jackson node class holds them.
 */
public final class JsonEquality {
    /** 0 for equal nodes; only that is meaningful (it orders nothing). */
    public static final Comparator<JsonNode> NUMERIC = (a, b) -> {
        if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue());
        return a.equals(b) ? 0 : 1;
    };

    private JsonEquality() {}

    public static boolean equal(JsonNode a, JsonNode b) {
        return a.equals(NUMERIC, b);
    }
}
