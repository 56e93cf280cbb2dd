package io.dataflare.engine.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStateStoreTest extends StateStoreContract {
    @TempDir
    Path dir;

    @Override
    StateStore store() {
        return new FileStateStore(dir.resolve("state"));
    }

    @Override
    String url(StateStore store) {
        return "file:" + ((FileStateStore) store).directory();
    }

    @Override
    StateStore reopen(StateStore store) {
        return new FileStateStore(((FileStateStore) store).directory());
    }

    @Test
    void aHalfWrittenTemporaryFileFromACrashIsIgnored() throws Exception {
        FileStateStore s = new FileStateStore(dir.resolve("crash"));
        s.put("checkpoints", "p", "{\"id\":1}");
        // what a kill between write and rename leaves behind
        Files.writeString(dir.resolve("crash/checkpoints/p.v.tmp-1234"), "{\"id\":2, \"trunc");
        FileStateStore after = new FileStateStore(dir.resolve("crash"));
        assertThat(after.get("checkpoints", "p")).contains("{\"id\":1}");
        assertThat(after.list("checkpoints")).containsOnlyKeys("p");
    }

    @Test
    void keysAreEncodedIntoSafeFileNames() {
        assertThat(FileStateStore.encode("../etc/passwd")).isEqualTo("%2E%2E%2Fetc%2Fpasswd");
        assertThat(FileStateStore.decode(FileStateStore.encode("a b/ü..x"))).isEqualTo("a b/ü..x");
    }
}
