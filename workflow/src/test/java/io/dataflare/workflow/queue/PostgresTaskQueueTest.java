package io.dataflare.workflow.queue;

import io.dataflare.engine.state.StateStore;
import io.dataflare.engine.state.StateStores;
import io.dataflare.engine.testing.PostgresServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Against a real PostgreSQL server started by the test (skipped when PostgreSQL is not installed, outside CI). */
class PostgresTaskQueueTest extends TaskQueueContract {
    private static PostgresServer server;
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private String database;

    @BeforeAll
    static void start() throws Exception {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Override
    StateStore open() {
        database = "queue" + DATABASES.incrementAndGet();
        server.createDatabase(database);
        return reopen();
    }

    @Override
    StateStore reopen() {
        return StateStores.open(server.jdbcUrl(database));
    }
}
