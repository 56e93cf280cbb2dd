package io.dataflare.workflow.queue;

import io.dataflare.engine.state.FileStateStore;
import io.dataflare.engine.state.StateStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FileTaskQueueTest extends TaskQueueContract {
    @TempDir
    Path dir;

    @Override
    StateStore open() {
        return new FileStateStore(dir.resolve("state"));
    }

    @Override
    StateStore reopen() {
        return new FileStateStore(dir.resolve("state"));
    }
}
