package io.dataflare.cli.server.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.dataflare.api.data.Record;
import io.dataflare.engine.state.StateStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tasks in the state store: their definitions and states (namespace {@code tasks}), and the records still
 * queued for their push sources when the server stopped (namespace {@code task-inputs}), so that a restart
 * loses nothing that was acknowledged.
 */
final class TaskRepository {
    private static final Logger LOG = LoggerFactory.getLogger(TaskRepository.class);
    static final String TASKS = "tasks";
    static final String INPUTS = "task-inputs";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final TypeReference<Map<String, List<Map<String, Object>>>> INPUTS_TYPE = new TypeReference<>() {
    };

    private final StateStore store;

    TaskRepository(StateStore store) {
        this.store = store;
    }

    /** Every stored task; unreadable entries are logged and left out. */
    List<StoredTask> loadAll() {
        List<StoredTask> out = new ArrayList<>();
        for (Map.Entry<String, String> e : store.list(TASKS).entrySet()) {
            try {
                out.add(JSON.readValue(e.getValue(), StoredTask.class));
            } catch (JsonProcessingException ex) {
                LOG.error("task '{}' in {} is unreadable and was not loaded: {}", e.getKey(), store.describe(), ex.getOriginalMessage());
            }
        }
        return out;
    }

    void save(StoredTask task) {
        store.put(TASKS, task.spec().id(), write(task));
    }

    void delete(String id) {
        store.delete(TASKS, id);
        store.delete(INPUTS, id);
    }

    /** Keeps the records still queued per push source (none: forgets earlier ones). */
    void saveInputs(String id, Map<String, List<Record>> queued) {
        Map<String, List<Map<String, Object>>> plain = new LinkedHashMap<>();
        queued.forEach((stage, records) -> {
            if (!records.isEmpty()) plain.put(stage, records.stream().map(Record::asMap).toList());
        });
        if (plain.isEmpty()) store.delete(INPUTS, id);
        else store.put(INPUTS, id, write(plain));
    }

    /** The records kept by {@link #saveInputs}, per push source. */
    Map<String, List<Map<String, Object>>> takeInputs(String id) {
        String text = store.get(INPUTS, id).orElse(null);
        if (text == null) return Map.of();
        try {
            return JSON.readValue(text, INPUTS_TYPE);
        } catch (JsonProcessingException e) {
            LOG.error("queued input of task '{}' is unreadable and was dropped: {}", id, e.getOriginalMessage());
            return Map.of();
        }
    }

    /** Forgets the inputs once they are queued again. */
    void clearInputs(String id) {
        store.delete(INPUTS, id);
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write task state as JSON: " + e.getMessage(), e);
        }
    }
}
