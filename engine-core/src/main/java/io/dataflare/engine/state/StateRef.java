package io.dataflare.engine.state;

/** A key or a log of a state store: its namespace and its name (the key, or the log id). */
public record StateRef(String namespace, String name) {
    public StateRef {
        Keys.check(namespace, name);
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
