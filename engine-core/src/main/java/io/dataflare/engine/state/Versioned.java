package io.dataflare.engine.state;

/**
 * A value with its version: 1 when the key was created, one more at each change. A key that is deleted and
 * created again starts at 1 again; version 0 stands for "absent" in expectations.
 */
public record Versioned(String value, long version) {}
