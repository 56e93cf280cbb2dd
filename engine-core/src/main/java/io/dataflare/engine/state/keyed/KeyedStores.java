package io.dataflare.engine.state.keyed;

import java.nio.file.Path;

/** Creates the {@link KeyedStore} of a backend. */
final class KeyedStores {
    private KeyedStores() {}

    static KeyedStore create(String backend, Path workDir, String id) {
        return switch (backend) {
            case StateSettings.MEMORY -> new HeapKeyedStore();
            // one working directory per stage instance: the '/' of "stage/instance" becomes a level
            case StateSettings.ROCKSDB -> new RocksKeyedStore(workDir.resolve(id));
            default -> throw new IllegalArgumentException("unknown state backend '" + backend + "'");
        };
    }
}
