package io.dataflare.engine.state;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** State locks that live in one process: for stores that live in one process too. */
final class MemoryLocks {
    private final Map<String, Holder> held = new ConcurrentHashMap<>();
    private final String store;

    MemoryLocks(String store) {
        this.store = store;
    }

    StateLock acquire(String name, String owner) {
        Holder mine = new Holder(owner);
        Holder holder = held.putIfAbsent(name, mine);
        if (holder != null) throw new StateLockedException(name, holder.owner, store);
        return new StateLock() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void close() {
                held.remove(name, mine);
            }
        };
    }

    /** Compared by identity: two runs describing themselves alike still hold distinct locks. */
    private static final class Holder {
        final String owner;

        Holder(String owner) {
            this.owner = owner;
        }
    }
}
