package io.dataflare.workflow.queue;

import io.dataflare.engine.state.MemoryStateStore;
import io.dataflare.engine.state.StateStore;

class MemoryTaskQueueTest extends TaskQueueContract {
    @Override
    StateStore open() {
        return new MemoryStateStore();
    }

    @Override
    StateStore reopen() {
        return store;
    }
}
