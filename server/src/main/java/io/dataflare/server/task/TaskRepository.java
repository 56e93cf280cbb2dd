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
import io.dataflare.server.io.PushSpool;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tasks in the state store: their definitions and states (namespace {@code tasks}), their push sources' spools
 * ({@link PushSpool}) with how far each attached file was spooled (namespace {@code task-attachments}), and
 * the records earlier versions saved at shutdown (namespace {@code task-inputs}), queued again once.
 */
final class TaskRepository {
    private static final Logger LOG = LoggerFactory.getLogger(TaskRepository.class);
    static final String TASKS = "tasks";
    static final String INPUTS = "task-inputs";
    static final String ATTACHMENTS = "task-attachments";
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
        for (String key : store.list(ATTACHMENTS).keySet()) {
            if (key.startsWith(id + ".")) store.delete(ATTACHMENTS, key);
        }
    }

    /** The durable spool of push source {@code stage} of task {@code task}. */
    PushSpool spool(String task, String stage) {
        return PushSpool.of(store, task, stage);
    }

    /**
     * The write that records how far attachment {@code attachment} of task {@code task} has queued its file, made
     * in the same transaction as the spooled records, so that after a crash it goes on exactly after them.
     */
    LongFunction<PushSpool.Alongside> attachmentProgress(String task, int attachment) {
        String key = task + "." + attachment;
        return read -> new PushSpool.Alongside(ATTACHMENTS, key, Long.toString(read));
    }

    /** How far attachment {@code attachment} of task {@code task} had spooled its file (0 when unknown). */
    long attachmentSpooled(String task, int attachment) {
        return store.get(ATTACHMENTS, task + "." + attachment)
                .map(Long::parseLong)
                .orElse(0L);
    }

    /**
     * What an earlier version saved at its shutdown (the spools keep queued input now), per push source, also the
     * plain record lists still earlier versions saved.
     */
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
