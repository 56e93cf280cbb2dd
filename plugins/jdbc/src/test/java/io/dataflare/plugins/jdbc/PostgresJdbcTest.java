package io.dataflare.plugins.jdbc;

import io.dataflare.engine.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The jdbc connectors against a real PostgreSQL server started for this class (skipped without
 * PostgreSQL, except under CI), a new database per test.
 */
class PostgresJdbcTest extends JdbcConnectorContract {
    private static PostgresServer server;
    private static int databases;

    @BeforeAll
    static void start() throws Exception {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Override
    String newDatabase() {
        return server.createDatabase("jdbc_test_" + (databases++));
    }

    @Override
    String decimalType() {
        return "NUMERIC(30, 4)";
    }

    @Override
    String timestampType() {
        return "TIMESTAMPTZ";
    }

    @Override
    String strictTable() {
        return "";
    }

    @Override
    String bytesType() {
        return "BYTEA";
    }
}
