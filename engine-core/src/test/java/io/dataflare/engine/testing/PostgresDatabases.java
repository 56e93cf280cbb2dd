package io.dataflare.engine.testing;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A PostgreSQL server for one test class ({@code @RegisterExtension static}), started before its tests (they are
 * skipped when PostgreSQL is not installed, outside CI) and stopped after them, handing out a fresh database per
 * call of {@link #create()}.
 */
public final class PostgresDatabases implements BeforeAllCallback, AfterAllCallback {
    private final String prefix;
    private final AtomicInteger count = new AtomicInteger();
    private PostgresServer server;
    private String last;

    /** Databases named {@code <prefix>1}, {@code <prefix>2}... */
    public PostgresDatabases(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = PostgresServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) server.close();
    }

    /** A new empty database; returns its JDBC URL. */
    public String create() {
        last = prefix + count.incrementAndGet();
        return server.createDatabase(last);
    }

    /** The JDBC URL of the database {@link #create()} made last. */
    public String lastUrl() {
        return server.jdbcUrl(last);
    }
}
