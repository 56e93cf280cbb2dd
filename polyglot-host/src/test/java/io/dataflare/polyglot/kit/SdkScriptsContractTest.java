package io.dataflare.polyglot.kit;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.tck.ComponentCase;
import io.dataflare.tck.PluginContractTest;
import io.dataflare.tck.PluginLoaders;
import io.dataflare.tck.Shape;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Timeout;

/**
 * The plugin test kit (plugin-tck) on the SDK's example scripts, each loaded from its file through its
 * host ({@link PluginLoaders#file}) the way a script author runs it (README.md). One Python case: every
 * Python instance starts a context (seconds for the first).
 */
@Timeout(120)
class SdkScriptsContractTest {
    static final Path SDK = Path.of("..", "sdk-examples", "scripts");
    /**
     * The scripts' time limit in these tests: a first call compiles the script cold, which on a loaded machine can
     * overrun the default second; what these tests check is the plugins' behaviour, not the limit.
     */
    static final int SLOW_MACHINE_MS = 30_000;

    static Record person(long id, String email, String key) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("email", email);
        m.put("key", key);
        return Record.fromMap(m);
    }

    static final RecordBatch PEOPLE = RecordBatch.of(
            person(1, "ada@example.com", "a"),
            person(2, "bob@example.com", "b"),
            person(3, "cy@example.com", "a"),
            person(4, "di@example.com", "a"));

    @Nested
    class Redact extends PluginContractTest {
        @Override
        protected LoadedPlugin loadPlugin() throws Exception {
            return PluginLoaders.file(SDK.resolve("javascript-processor/plugin/redact.js"));
        }

        @Override
        protected List<ComponentCase> components() {
            return List.of(ComponentCase.processor("redact")
                    .config(Map.of("fields", List.of("email"), "keep", 3, "timeout_ms", SLOW_MACHINE_MS))
                    .input(PEOPLE)
                    .rejects(Map.of("keep", "three"), "keep")
                    .rejects(Map.of("timeout_ms", "soon"), "timeout_ms"));
        }
    }

    @Nested
    class RunningCount extends PluginContractTest {
        @Override
        protected LoadedPlugin loadPlugin() throws Exception {
            return PluginLoaders.file(SDK.resolve("python-processor/plugin/running_count.py"));
        }

        @Override
        protected List<ComponentCase> components() {
            return List.of(ComponentCase.processor("running-count")
                    .config(Map.of("every", 2, "timeout_ms", SLOW_MACHINE_MS))
                    .input(PEOPLE)
                    .shape(Shape.FILTERS)
                    .rejects(Map.of("every", "often"), "every"));
        }
    }

    /** 16 ticks of A (enough for every indicator), 3 of B, one without a stock code (rejected). */
    static RecordBatch ticks() {
        List<Record> ticks = new ArrayList<>();
        Instant ts = Instant.parse("2026-01-05T09:30:00Z");
        for (int i = 0; i < 20; i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ts", ts.plusSeconds(i));
            m.put("stock_code", i == 7 ? null : i % 5 == 4 ? "B" : "A");
            m.put("price", new BigDecimal("100.00").add(BigDecimal.valueOf((i * 37) % 11 - 5, 2)));
            m.put("volume", 100L);
            ticks.add(Record.fromMap(m));
        }
        return RecordBatch.of(ticks);
    }

    @Nested
    class StockIndicators extends PluginContractTest {
        @Override
        protected LoadedPlugin loadPlugin() throws Exception {
            return PluginLoaders.file(SDK.resolve("javascript-stock-indicators/plugin/stock-indicators.js"));
        }

        @Override
        protected List<ComponentCase> components() {
            return List.of(ComponentCase.processor("stock-indicators")
                    .config(Map.of("timeout_ms", SLOW_MACHINE_MS))
                    .input(ticks())
                    .rejects(Map.of("timeout_ms", "soon"), "timeout_ms"));
        }
    }
}
