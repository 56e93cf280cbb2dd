package io.dataflare.engine.state.keyed;

import java.nio.file.Path;
import java.util.function.Supplier;

/** Creates the {@link KeyedStore} of a backend. */
final class KeyedStores {
    private KeyedStores() {}

    /** A store of {@code backend}; {@code workDir} is asked for only by a disk-based one. */
    static KeyedStore create(String backend, Supplier<Path> workDir, String id) {
        return switch (backend) {
            case StateSettings.MEMORY -> new HeapKeyedStore();
            // one working directory per stage instance: the '/' of "stage/instance" becomes a level
            case StateSettings.ROCKSDB -> new RocksKeyedStore(workDir.get().resolve(id));
            default -> throw new IllegalArgumentException("unknown state backend '" + backend + "'");
        };
    }
}
