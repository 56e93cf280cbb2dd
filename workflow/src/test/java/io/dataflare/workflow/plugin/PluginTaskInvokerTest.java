package io.dataflare.workflow.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.processor.Processor;
import io.dataflare.engine.plugin.PluginRegistry;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.workflow.error.StatesError;
import io.dataflare.workflow.interpreter.TaskRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Java processors as Task resources: their record in and out, their exceptions as States errors named by class. */
class PluginTaskInvokerTest {
    /** A Java plugin's own exception: its simple class name is the error ErrorEquals matches. */
    static final class ValueTooLow extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ValueTooLow(String message) {
            super(message);
        }
    }

    static final ObjectMapper MAPPER = new ObjectMapper();
    PluginRegistry registry;
    PluginTaskInvoker tasks;

    @BeforeEach
    void register() {
        InProcessPlugins plugins = new InProcessPlugins()
                .processor(
                        "java-check",
                        () -> Processor.mapping(r -> {
                            long v = r.getLong("value");
                            if (v < 10) throw new ValueTooLow("value " + v + " is below 10");
                            return r.toBuilder().set("doubled", v * 2).build();
                        }))
                .processor(
                        "key",
                        () -> Processor.mapping(r -> r.toBuilder()
                                .set("key", r.header(PluginTaskInvoker.IDEMPOTENCY_KEY_HEADER))
                                .build()))
                .processor("twice", () -> batch -> RecordBatch.of(batch.get(0), batch.get(0)))
                .processor("none", () -> batch -> RecordBatch.EMPTY)
                .processor(
                        "rejects",
                        () -> batch -> RecordBatch.builder()
                                .reject(batch.get(0), "no good")
                                .build());
        registry = PluginRegistry.builder().build();
        registry.register(plugins.plugin());
        tasks = new PluginTaskInvoker(registry, Path.of("."));
    }

    @AfterEach
    void close() {
        tasks.close();
        registry.close();
    }

    private JsonNode call(String resource, String input) throws Exception {
        return tasks.invoke(new TaskRequest("e", "S", resource, MAPPER.readTree(input), "e:/0/S#0", 0));
    }

    @Test
    void theInputIsOneRecordAndTheResultItsOutputRecord() throws Exception {
        assertThat(call("plugin:java-check", "{\"value\": 21, \"tags\": [\"a\"], \"nested\": {\"k\": 1.5}}"))
                .isEqualTo(MAPPER.readTree(
                        "{\"value\": 21, \"tags\": [\"a\"], \"nested\": {\"k\": 1.5}, \"doubled\": 42}"));
    }

    @Test
    void aJavaPluginReadsTheIdempotencyKeyFromItsRecordsHeader() throws Exception {
        assertThat(call("plugin:key", "{\"value\": 1}"))
                .isEqualTo(MAPPER.readTree("{\"value\": 1, \"key\": \"e:/0/S#0\"}"));
    }

    @Test
    void aJavaExceptionIsTheErrorNamedByItsClassWithItsMessageAsCause() {
        assertThatThrownBy(() -> call("plugin:java-check", "{\"value\": 3}"))
                .isInstanceOfSatisfying(StatesError.class, e -> {
                    assertThat(e.error()).isEqualTo("ValueTooLow");
                    assertThat(e.causeText()).isEqualTo("value 3 is below 10");
                });
    }

    @Test
    void aTaskNeedsExactlyOneRecordBack() {
        assertThatThrownBy(() -> call("plugin:twice", "{}")).isInstanceOfSatisfying(StatesError.class, e -> {
            assertThat(e.error()).isEqualTo("States.TaskFailed");
            assertThat(e.causeText()).contains("returned 2 records");
        });
        assertThatThrownBy(() -> call("plugin:none", "{}")).hasMessageContaining("returned 0 records");
        assertThatThrownBy(() -> call("plugin:rejects", "{}"))
                .isInstanceOfSatisfying(
                        StatesError.class, e -> assertThat(e.causeText()).isEqualTo("no good"));
    }

    @Test
    void aTaskInputMustBeAnObject() {
        assertThatThrownBy(() -> call("plugin:java-check", "[1, 2]"))
                .isInstanceOfSatisfying(
                        StatesError.class, e -> assertThat(e.error()).isEqualTo("States.Runtime"));
    }

    @Test
    void resourcesAreCheckedBeforeTheRun() {
        assertThat(tasks.problem("plugin:java-check")).isNull();
        assertThat(tasks.problem("plugin:java-check@^9.0")).contains("java-check");
        assertThat(tasks.problem("plugin:Bad Name")).contains("is not a plugin name");
        assertThat(tasks.problem("arn:aws:lambda:us-east-1:1:function:f")).startsWith("unknown Resource");
    }
}
