package io.dataflare.engine.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract through the encrypting decorator over SQLite (a JDBC store), and nothing in clear in its file. */
class EncryptingSqliteStateStoreTest extends StateStoreContract {
    private static final EncryptionKeys KEYS = EncryptionKeys.of(EncryptionKeys.generate());

    @TempDir
    Path dir;

    private int n;

    @Override
    StateStore store() {
        return StateEncryption.protect(
                new JdbcStateStore("jdbc:sqlite:" + dir.resolve("state-" + (n++) + ".db")), KEYS);
    }

    @Override
    String url(StateStore store) {
        return store.describe();
    }

    @Override
    StateStore another(StateStore store) {
        return StateEncryption.protect(StateStores.open(url(store)), KEYS);
    }

    @Override
    StateStore reopen(StateStore store) {
        String url = store.describe();
        store.close();
        return StateEncryption.protect(new JdbcStateStore(url), KEYS);
    }

    @Test
    void valuesAndLogRecordsAreNotInClearInTheDatabaseFile() throws Exception {
        Path db = dir.resolve("clear-check.db");
        String secret = "sqlite-secret-value-5521";
        try (StateStore s = StateEncryption.protect(new JdbcStateStore("jdbc:sqlite:" + db), KEYS)) {
            s.put("tasks", "t", secret);
            s.transaction().append("history", "wf", secret).commit();
            assertThat(s.get("tasks", "t")).contains(secret);
        }
        String bytes = new String(Files.readAllBytes(db), StandardCharsets.ISO_8859_1);
        assertThat(bytes).doesNotContain(secret).contains(StateCipher.TEXT_PREFIX);
    }
}
