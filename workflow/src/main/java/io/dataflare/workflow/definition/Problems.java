package io.dataflare.workflow.definition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the problems of one definition file, locating them by JSON Pointer. */
public final class Problems {
    private final LocatedJson json;
    private final List<Problem> list = new ArrayList<>();

    public Problems(LocatedJson json) {
        this.json = json;
    }

    /** A problem with the value at {@code pointer}. */
    public void at(String pointer, String message) {
        list.add(new Problem(json.at(pointer), message));
    }

    /** A problem with the field name at {@code pointer} (an unknown or misplaced field). */
    public void key(String pointer, String message) {
        list.add(new Problem(json.keyAt(pointer), message));
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    /** The problems in file order. */
    public List<Problem> sorted() {
        List<Problem> out = new ArrayList<>(list);
        out.sort(Comparator.comparingInt((Problem p) -> p.location().line())
                .thenComparingInt(p -> p.location().column()));
        return out;
    }

    /** @throws InvalidDefinitionException when there is any problem */
    public void throwIfAny() throws InvalidDefinitionException {
        if (!list.isEmpty()) throw new InvalidDefinitionException(sorted());
    }
}
