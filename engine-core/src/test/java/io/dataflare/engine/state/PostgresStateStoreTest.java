package io.dataflare.engine.state;

import io.dataflare.engine.testing.PostgresDatabases;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The same contract against a real PostgreSQL server started by the test (installed by .ci/run). */
class PostgresStateStoreTest extends StateStoreContract {
    @RegisterExtension
    static final PostgresDatabases DATABASES = new PostgresDatabases("contract");

    @Override
    StateStore store() {
        return new JdbcStateStore(DATABASES.create());
    }

    @Override
    String url(StateStore store) {
        return DATABASES.lastUrl();
    }

    @Override
    StateStore reopen(StateStore store) {
        store.close();
        return new JdbcStateStore(DATABASES.lastUrl());
    }
}
