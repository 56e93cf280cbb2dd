package io.dataflare.server.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.dataflare.api.data.Record;
import io.dataflare.engine.state.StateStore;
import io.dataflare.json.RecordJson;
import io.dataflare.server.io.PushQueue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tasks in the state store: their definitions and states (namespace {@code tasks}), and the records still
 * queued for their push sources when the server stopped (namespace {@code task-inputs}: records not yet covered
 * by a checkpoint, with their sequence numbers), so that a graceful restart loses nothing that was acknowledged.
 */
final class TaskRepository {
    private static final Logger LOG = LoggerFactory.getLogger(TaskRepository.class);
    static final String TASKS = "tasks";
    static final String INPUTS = "task-inputs";
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final TypeReference<Map<String, JsonNode>> STAGES_TYPE = new TypeReference<>() {};
    private static final TypeReference<Map<String, Object>> MAP_TYPE = new TypeReference<>() {};

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
                LOG.error(
                        "task '{}' in {} is unreadable and was not loaded: {}",
                        e.getKey(),
                        store.describe(),
                        ex.getOriginalMessage());
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

    /**
     * Keeps what the push sources' queues hold (records read by a run but not yet covered by a checkpoint, then
     * the unread ones, each with its sequence number), per push source; empty queues are left out, and when all
     * are empty earlier saved input is forgotten.
     */
    void saveInputs(String id, Map<String, PushQueue.Saved> queued) {
        Map<String, SavedInput> plain = new LinkedHashMap<>();
        queued.forEach((stage, saved) -> {
            if (saved.entries().isEmpty()) return;
            List<SavedRecord> records = new ArrayList<>(saved.entries().size());
            for (PushQueue.Entry e : saved.entries()) {
                Record r = e.record();
                records.add(new SavedRecord(e.seq(), null, RecordJson.toJson(r), RecordJson.typeHints(r)));
            }
            plain.put(stage, new SavedInput(saved.numbering(), saved.nextSeq(), records));
        });
        if (plain.isEmpty()) store.delete(INPUTS, id);
        else store.put(INPUTS, id, write(plain));
    }

    /** What {@link #saveInputs} kept, per push source (also the plain record lists earlier versions saved). */
    Map<String, PushQueue.Saved> takeInputs(String id) {
        String text = store.get(INPUTS, id).orElse(null);
        if (text == null) return Map.of();
        try {
            Map<String, JsonNode> stages = JSON.readValue(text, STAGES_TYPE);
            Map<String, PushQueue.Saved> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : stages.entrySet()) {
                if (e.getValue().isArray()) { // saved by an earlier version, without numbers: number them afresh
                    List<PushQueue.Entry> entries = new ArrayList<>();
                    for (JsonNode r : e.getValue()) {
                        entries.add(new PushQueue.Entry(
                                entries.size() + 1, Record.fromMap(JSON.convertValue(r, MAP_TYPE))));
                    }
                    out.put(e.getKey(), new PushQueue.Saved(UUID.randomUUID().toString(), entries.size() + 1, entries));
                } else {
                    SavedInput in = JSON.treeToValue(e.getValue(), SavedInput.class);
                    List<PushQueue.Entry> entries = new ArrayList<>(in.records().size());
                    for (SavedRecord r : in.records()) entries.add(new PushQueue.Entry(r.seq(), r.toRecord()));
                    out.put(e.getKey(), new PushQueue.Saved(in.numbering(), in.nextSeq(), entries));
                }
            }
            return out;
        } catch (IOException | IllegalArgumentException e) {
            LOG.error(
                    "queued input of task '{}' in {} is unreadable and was not queued again: {}",
                    id,
                    store.describe(),
                    e.getMessage());
            return Map.of();
        }
    }

    /** A push source's saved queue, as stored. */
    record SavedInput(
            @JsonProperty("numbering") String numbering,
            @JsonProperty("next_seq") long nextSeq,
            @JsonProperty("records") List<SavedRecord> records) {}

    /**
     * A saved record with its sequence number: its fields as the record codec writes them ({@code json}) with the
     * types JSON cannot tell ({@code types}), so that decimals, timestamps and bytes come back as such;
     * {@code record} is the plain map earlier versions saved instead.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SavedRecord(
            @JsonProperty("seq") long seq,
            @JsonProperty("record") Map<String, Object> record,
            @JsonProperty("json") String json,
            @JsonProperty("types") Map<String, String> types) {
        Record toRecord() throws IOException {
            return json != null
                    ? RecordJson.readRecord(json, types == null ? Map.of() : types)
                    : Record.fromMap(record);
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
