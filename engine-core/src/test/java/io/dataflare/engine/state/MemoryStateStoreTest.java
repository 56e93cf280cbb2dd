package io.dataflare.engine.state;

class MemoryStateStoreTest extends StateStoreContract {
    @Override
    StateStore store() {
        return new MemoryStateStore();
    }

    @Override
    StateStore reopen(StateStore store) {
        return store;
    }
}
