package io.dataflare.plugins.jdbc;

/** The jdbc connectors against SQLite, a new database file per test. */
class SqliteJdbcTest extends JdbcConnectorContract {
    private int databases;

    @Override
    String newDatabase() {
        return "jdbc:sqlite:" + dir.resolve("test" + (databases++) + ".db");
    }

    // TEXT affinity keeps every digit (a NUMERIC column keeps 15); the DECIMAL in the name makes it a decimal.
    @Override
    String decimalType() {
        return "DECIMAL_TEXT";
    }

    @Override
    String timestampType() {
        return "TIMESTAMP";
    }

    @Override
    String bytesType() {
        return "BLOB";
    }
}
