package io.dataflare.engine.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStateStoreTest extends StateStoreContract {
    @TempDir
    Path dir;

    private int n;

    @Override
    StateStore store() {
        return new JdbcStateStore("jdbc:sqlite:" + dir.resolve("state-" + (n++) + ".db"));
    }

    @Override
    String url(StateStore store) {
        return store.describe();
    }

    @Override
    StateStore reopen(StateStore store) {
        String url = store.describe();
        store.close();
        return new JdbcStateStore(url);
    }

    @Test
    void migratesOnceAndRecordsTheSchemaVersion() {
        String url = "jdbc:sqlite:" + dir.resolve("migrate.db");
        JdbcStateStore a = new JdbcStateStore(url);
        a.put("x", "k", "v");
        a.close();
        JdbcStateStore b = new JdbcStateStore(url);
        assertThat(b.schemaVersion()).isEqualTo(JdbcStateStore.MIGRATIONS.size());
        assertThat(b.get("x", "k")).contains("v");
        b.close();
    }

    @Test
    void credentialsAreNotShown() {
        assertThat(JdbcStateStore.redact("jdbc:postgresql://db/x?user=a&password=secret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/x?user=a&password=***&ssl=true");
        assertThat(JdbcStateStore.redact("jdbc:postgresql://bob:secret@db/x"))
                .isEqualTo("jdbc:postgresql://bob:***@db/x");
    }
}
