package io.dataflare.engine.state;

import java.nio.file.Path;

/** Opens a state store from its description: {@code memory:}, {@code jdbc:...}, or a directory path. */
public final class StateStores {
    private StateStores() {
    }

    /**
     * {@code memory:} for a throwaway store, {@code jdbc:sqlite:FILE} or {@code jdbc:postgresql://...} for
     * a database, anything else (or {@code file:DIR}) for a directory.
     */
    public static StateStore open(String spec) {
        if (spec.equals("memory:")) return new MemoryStateStore();
        if (spec.startsWith("jdbc:")) return new JdbcStateStore(spec);
        if (spec.startsWith("file:")) return new FileStateStore(Path.of(spec.substring("file:".length())));
        return new FileStateStore(Path.of(spec));
    }
}
