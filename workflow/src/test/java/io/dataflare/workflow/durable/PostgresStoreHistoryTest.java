package io.dataflare.workflow.durable;

import io.dataflare.engine.state.StateStore;
import io.dataflare.engine.state.StateStores;
import io.dataflare.engine.testing.PostgresDatabases;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Against a real PostgreSQL server started by the test (skipped when PostgreSQL is not installed, outside CI). */
class PostgresStoreHistoryTest extends StoreHistoryContract {
    @RegisterExtension
    static final PostgresDatabases DATABASES = new PostgresDatabases("history");

    @Override
    StateStore open() {
        return StateStores.open(DATABASES.create());
    }

    @Override
    StateStore reopen() {
        return StateStores.open(DATABASES.lastUrl());
    }
}
