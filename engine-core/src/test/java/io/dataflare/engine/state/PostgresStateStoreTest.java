package io.dataflare.engine.state;

import io.dataflare.engine.testing.PostgresServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The same contract against a real PostgreSQL server started by the test (installed by .ci/run). */
class PostgresStateStoreTest extends StateStoreContract {
    private static PostgresServer server;
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private String last;

    @BeforeAll
    static void start() throws Exception {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Override
    StateStore store() {
        last = "contract" + DATABASES.incrementAndGet();
        return new JdbcStateStore(server.createDatabase(last));
    }

    @Override
    String url(StateStore store) {
        return server.jdbcUrl(last);
    }

    @Override
    StateStore reopen(StateStore store) {
        store.close();
        return new JdbcStateStore(server.jdbcUrl(last));
    }
}
