package io.dataflare.workflow.queue;

import io.dataflare.engine.state.StateStore;
import io.dataflare.engine.state.StateStores;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteTaskQueueTest extends TaskQueueContract {
    @TempDir
    Path dir;

    @Override
    StateStore open() {
        return reopen();
    }

    @Override
    StateStore reopen() {
        return StateStores.open("jdbc:sqlite:" + dir.resolve("state.db"));
    }
}
