package io.dataflare.plugins.jdbc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.PluginFactory;
import io.dataflare.api.config.ConfigError;
import io.dataflare.api.config.ConfigException;
import io.dataflare.tck.SimplePluginContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The options are checked before the run; each error names the connector, the option and the value. */
class JdbcConfigTest {
    private static final String URL = "jdbc:sqlite:/tmp/x.db";

    @Test
    void sourceNeedsExactlyOneOfTableAndQuery() {
        assertError(new JdbcSourceFactory(), Map.of("url", URL), "table", "jdbc source", "got neither");
        assertError(
                new JdbcSourceFactory(),
                Map.of("url", URL, "table", "t", "query", "SELECT 1"),
                "query",
                "jdbc source",
                "got both");
    }

    @Test
    void urlOfADatabaseWithoutABundledDriverIsRefused() {
        assertError(
                new JdbcSourceFactory(),
                Map.of("url", "jdbc:mysql://db/x?password=hunter2", "table", "t"),
                "url",
                "jdbc source",
                "jdbc:mysql://db/x?...");
        assertError(
                new JdbcSinkFactory(),
                Map.of("url", "postgres://db", "table", "t"),
                "url",
                "jdbc sink",
                "postgres://db");
    }

    @Test
    void pollingWithoutAnIncrementalColumnIsRefused() {
        assertError(
                new JdbcSourceFactory(),
                Map.of("url", URL, "table", "t", "poll_interval_ms", 100),
                "poll_interval_ms",
                "jdbc source",
                "incremental");
        assertError(
                new JdbcSourceFactory(),
                Map.of("url", URL, "table", "t", "fetch_size", 0),
                "fetch_size",
                "jdbc source",
                "got 0");
    }

    @Test
    void upsertNeedsKeyColumnsAndInsertTakesNone() {
        assertError(
                new JdbcSinkFactory(),
                Map.of("url", URL, "table", "t", "mode", "upsert"),
                "key",
                "jdbc sink",
                "upsert");
        assertError(
                new JdbcSinkFactory(),
                Map.of("url", URL, "table", "t", "key", List.of("id")),
                "key",
                "jdbc sink",
                "[id]");
        assertError(new JdbcSinkFactory(), Map.of("url", URL, "table", "t", "mode", "merge"), "mode", "", "merge");
    }

    @Test
    void tableMustBeATableName() {
        assertError(
                new JdbcSinkFactory(),
                Map.of("url", URL, "table", "t; DROP TABLE x"),
                "table",
                "jdbc sink",
                "t; DROP TABLE x");
    }

    private static void assertError(
            PluginFactory<?> factory, Map<String, ?> config, String field, String connector, String value) {
        assertThatThrownBy(() -> SimplePluginContext.of(factory, config, Path.of(".")))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    ConfigError error = e.errors().stream()
                            .filter(x -> x.field().equals(field))
                            .findFirst()
                            .orElseThrow(() -> new AssertionError("no error on '" + field + "': " + e.errors()));
                    org.assertj.core.api.Assertions.assertThat(error.message())
                            .contains(connector)
                            .contains(value);
                });
    }
}
