package io.dataflare.engine.config;

/**
 * A string, number, boolean or null.
 *
 * @param secret whether the value came from a {@code ${secret:...}} reference (never shown)
 */
public record ScalarNode(Object value, Location location, boolean secret) implements ConfigNode {
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
