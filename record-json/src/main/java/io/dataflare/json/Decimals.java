package io.dataflare.json;

/**
 * How a JSON number with a fraction or an exponent ({@code 10.50}, {@code 1e3}) is read.
 *
 * @since 1.1.0
 */
public enum Decimals {
    /** As a double (the default of JSON readers): fast, but {@code 10.50} becomes {@code 10.5}. */
    DOUBLE,
    /** As a decimal with its exact digits ({@code 10.50} stays {@code 10.50}). */
    EXACT
}
