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

    /** Both retry policy examples take at most five attempts, and refuse a word for the number. */
    static ComponentCase retryPolicy(String id) {
        return ComponentCase.retryPolicy(id)
                .config(Map.of("max_attempts", 5))
                .rejects(Map.of("max_attempts", "often"), "max_attempts");
    }

    /** The kit on one example: the script file, loaded as its author runs it, and its one component. */
    abstract static class ExampleContract extends PluginContractTest {
        private final Path file;
        private final ComponentCase component;

        ExampleContract(String file, ComponentCase component) {
            this.file = Path.of(file);
            this.component = component;
        }

        @Override
        protected LoadedPlugin loadPlugin() throws Exception {
            return PluginLoaders.file(file);
        }

        @Override
        protected List<ComponentCase> components() {
            return List.of(component);
        }
    }

    @Nested
    class Counter extends ExampleContract {
        Counter() {
            super(
                    "javascript-source/plugin/counter.js",
                    ComponentCase.source("counter")
                            .config(Map.of("count", 40))
                            .resumable()
                            .rejects(Map.of("count", "many"), "count"));
        }
    }

    @Nested
    class Fibonacci extends ExampleContract {
        Fibonacci() {
            super(
                    "python-source/plugin/fibonacci.py",
                    ComponentCase.source("fibonacci")
                            .config(Map.of("count", 30))
                            .resumable());
        }
    }

    @Nested
    class Console extends ExampleContract {
        Console() {
            super(
                    "javascript-sink/plugin/console.js",
                    ComponentCase.sink("console")
                            .config(Map.of("fields", List.of("id")))
                            .input(SAMPLE)
                            .rejects(Map.of("fields", 3), "fields"));
        }
    }

    @Nested
    class JsonlSink extends ExampleContract {
        JsonlSink() {
            super(
                    "python-sink/plugin/jsonl_sink.py",
                    ComponentCase.sink("jsonl-sink").input(SAMPLE).grants("file:write:out/*"));
        }
    }

    @Nested
    class RetryTransient extends ExampleContract {
        RetryTransient() {
            super("javascript-retry-policy/plugin/retry_transient.js", retryPolicy("retry-transient"));
        }
    }

    @Nested
    class RouteErrors extends ExampleContract {
        RouteErrors() {
            super("python-error-policy/plugin/route_errors.py", ComponentCase.errorPolicy("route-errors"));
        }
    }

    @Nested
    class RetryCapped extends ExampleContract {
        RetryCapped() {
            super("python-retry-policy/plugin/retry_capped.py", retryPolicy("retry-capped"));
        }
    }

    @Nested
    class RouteByClass extends ExampleContract {
        RouteByClass() {
            super("javascript-error-policy/plugin/route_by_class.js", ComponentCase.errorPolicy("route-by-class"));
        }
    }

    @Nested
    class Shard extends ExampleContract {
        Shard() {
            super("javascript-key-router/plugin/shard.js", ComponentCase.keyRouter("shard"));
        }
    }

    @Nested
    class ByRange extends ExampleContract {
        ByRange() {
            super(
                    "python-key-router/plugin/by_range.py",
                    ComponentCase.keyRouter("by-range").config(Map.of("range_width", 10)));
        }
    }
}
