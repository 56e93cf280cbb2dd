package io.dataflare.examples.kinds;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.tck.ComponentCase;
import io.dataflare.tck.PluginContractTest;
import io.dataflare.tck.PluginLoaders;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Timeout;

/**
 * The plugin test kit on the source, sink and policy examples, each loaded from its file as a script author
 * runs it: sources resume from their positions, the exactly-once sink's checkpoint restores, policies decide
 * every case and give up, routers route every key to a valid instance.
 */
@Timeout(120)
class ExampleKindsContractTest {
    static final RecordBatch SAMPLE = RecordBatch.of(
            Record.fromMap(Map.of("id", 1L, "name", "ada")),
            Record.fromMap(Map.of("id", 2L, "name", "bob")),
            Record.fromMap(Map.of("id", 3L, "name", "cy")));

    static LoadedPlugin load(String file) throws Exception {
        return PluginLoaders.file(Path.of(file));
    }

    @Nested
    class Counter extends PluginContractTest {
        @Override
        protected LoadedPlugin loadPlugin() throws Exception {
            return load("javascript-source/plugin/counter.js");
        }

        @Override
        protected List<ComponentCase> components() {
            return List.of(ComponentCase.source("counter")
                    .config(Map.of("count", 40))
                    .resumable()
                    .rejects(Map.of("count", "many"), "count"));
        }
    }

    @Nested
    class Fibonacci extends PluginContractTest {
        @Override
        protected LoadedPlugin loadPlugin() throws Exception {
            return load("python-source/plugin/fibonacci.py");
        }

        @Override
        protected List<ComponentCase> components() {
            return List.of(ComponentCase.source("fibonacci")
                    .config(Map.of("count", 30))
                    .resumable());
        }
    }

    @Nested
    class Console extends PluginContractTest {
        @Override
        protected LoadedPlugin loadPlugin() throws Exception {
            return load("javascript-sink/plugin/console.js");
        }

        @Override
        protected List<ComponentCase> components() {
            return List.of(ComponentCase.sink("console")
                    .config(Map.of("fields", List.of("id")))
                    .input(SAMPLE)
                    .rejects(Map.of("fields", 3), "fields"));
        }
    }

    @Nested
    class JsonlSink extends PluginContractTest {
        @Override
        protected LoadedPlugin loadPlugin() throws Exception {
            return load("python-sink/plugin/jsonl_sink.py");
        }

        @Override
        protected List<ComponentCase> components() {
            return List.of(ComponentCase.sink("jsonl-sink").input(SAMPLE).grants("file:write:out/*"));
        }
    }

    @Nested
    class RetryTransient extends PluginContractTest {
        @Override
        protected LoadedPlugin loadPlugin() throws Exception {
            return load("javascript-retry-policy/plugin/retry_transient.js");
        }

        @Override
        protected List<ComponentCase> components() {
            return List.of(ComponentCase.retryPolicy("retry-transient")
                    .config(Map.of("max_attempts", 5))
                    .rejects(Map.of("max_attempts", "often"), "max_attempts"));
        }
    }

    @Nested
    class RouteErrors extends PluginContractTest {
        @Override
        protected LoadedPlugin loadPlugin() throws Exception {
            return load("python-error-policy/plugin/route_errors.py");
        }

        @Override
        protected List<ComponentCase> components() {
            return List.of(ComponentCase.errorPolicy("route-errors"));
        }
    }

    @Nested
    class RetryCapped extends PluginContractTest {
        @Override
        protected LoadedPlugin loadPlugin() throws Exception {
            return load("python-retry-policy/plugin/retry_capped.py");
        }

        @Override
        protected List<ComponentCase> components() {
            return List.of(ComponentCase.retryPolicy("retry-capped")
                    .config(Map.of("max_attempts", 5))
                    .rejects(Map.of("max_attempts", "often"), "max_attempts"));
        }
    }

    @Nested
    class RouteByClass extends PluginContractTest {
        @Override
        protected LoadedPlugin loadPlugin() throws Exception {
            return load("javascript-error-policy/plugin/route_by_class.js");
        }

        @Override
        protected List<ComponentCase> components() {
            return List.of(ComponentCase.errorPolicy("route-by-class"));
        }
    }

    @Nested
    class Shard extends PluginContractTest {
        @Override
        protected LoadedPlugin loadPlugin() throws Exception {
            return load("javascript-key-router/plugin/shard.js");
        }

        @Override
        protected List<ComponentCase> components() {
            return List.of(ComponentCase.keyRouter("shard"));
        }
    }

    @Nested
    class ByRange extends PluginContractTest {
        @Override
        protected LoadedPlugin loadPlugin() throws Exception {
            return load("python-key-router/plugin/by_range.py");
        }

        @Override
        protected List<ComponentCase> components() {
            return List.of(ComponentCase.keyRouter("by-range").config(Map.of("range_width", 10)));
        }
    }
}
