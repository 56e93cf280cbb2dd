package io.dataflare.engine.config;

/**
 * A value read from a configuration file, remembering where it was written so that errors can point
 * at it. Maps keep their key order and each key's own location.
 */
public sealed interface ConfigNode permits MapNode, ListNode, ScalarNode {
    /** Where the value starts. */
    Location location();

    /** The value as plain Java: {@code Map}, {@code List}, {@code String}, {@code Long}, {@code Double}, {@code Boolean} or null. */
    Object toPlain();

    /** "a map", "a list", "a string"... for error messages. */
    String describe();

    /**
     * Whether this value, or one inside it, has a {@code ${...}} reference that could not be resolved.
     * That problem is reported where the reference is; checks of such a value are skipped, since they
     * would only report the same mistake again in other words.
     */
    boolean containsUnresolved();
}
