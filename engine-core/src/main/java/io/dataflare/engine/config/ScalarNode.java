package io.dataflare.engine.config;

/**
 * A string, number, boolean or null.
 *
 * @param secret     whether the value came from a {@code ${secret:...}} reference (never shown)
 * @param unresolved whether a {@code ${...}} reference in it could not be resolved (already reported)
 */
public record ScalarNode(Object value, Location location, boolean secret, boolean unresolved) implements ConfigNode {
    /** A value whose references (if any) all resolved. */
    public ScalarNode(Object value, Location location, boolean secret) {
        this(value, location, secret, false);
    }

    @Override
    public boolean containsUnresolved() {
        return unresolved;
    }

    @Override
    public Object toPlain() {
        return value;
    }

    @Override
    public String describe() {
        if (value == null) return "nothing";
        if (value instanceof String) return "a string";
        if (value instanceof Boolean) return "a boolean";
        return "a number";
    }

    /** The value as text (null stays null). */
    public String text() {
        return value == null ? null : value.toString();
    }
}
