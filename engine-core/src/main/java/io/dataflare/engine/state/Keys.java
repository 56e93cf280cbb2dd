package io.dataflare.engine.state;

/** The rules every store applies to namespaces and keys, so that any key works in any backend. */
final class Keys {
    private Keys() {}

    static void check(String namespace, String key) {
        checkNamespace(namespace);
        if (key == null || key.isEmpty() || key.length() > 200) {
            throw new IllegalArgumentException("a state key must have 1 to 200 characters: '" + key + "'");
        }
    }

    static void checkNamespace(String namespace) {
        if (namespace == null || !namespace.matches("[a-z0-9][a-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException(
                    "a state namespace is lower-case letters, digits, '_', '.', '-': '" + namespace + "'");
        }
    }
}
