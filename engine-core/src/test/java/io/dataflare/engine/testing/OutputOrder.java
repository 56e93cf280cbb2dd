package io.dataflare.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Checks on what a run wrote while a plugin changed under it, for any row type (records a sink collected, lines
 * of a file): the versions it went through in order, and whether every record arrived exactly once, in order.
 */
public final class OutputOrder {
    private OutputOrder() {}

    /** What {@code stamp} reads from {@code rows}, in order, without repeats: the versions a run went through. */
    public static <T> List<Object> valuesInOrder(List<T> rows, Function<T, Object> stamp) {
        List<Object> seen = new ArrayList<>();
        for (T r : rows) {
            Object v = stamp.apply(r);
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(v)) seen.add(v);
        }
        return seen;
    }

    /** Checks that {@code rows} are not empty and their ids are every id from 0 up, each once, in order. */
    public static <T> void assertEveryIdOnceInOrder(List<T> rows, Function<T, Object> id) {
        assertThat(rows).isNotEmpty();
        for (int i = 0; i < rows.size(); i++) {
            assertThat(((Number) id.apply(rows.get(i))).longValue())
                    .as("record %d of %d", i, rows.size())
                    .isEqualTo(i);
        }
    }
}
