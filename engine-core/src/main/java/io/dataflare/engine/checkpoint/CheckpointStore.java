package io.dataflare.engine.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.dataflare.engine.state.StateStore;
import io.dataflare.engine.state.StateStoreException;
import java.util.Optional;

/** Checkpoints as JSON in a {@link StateStore}, one per pipeline name, in namespace {@code checkpoints}. */
public final class CheckpointStore {
    private static final String NAMESPACE = "checkpoints";
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final StateStore store;

    public CheckpointStore(StateStore store) {
        this.store = store;
    }

    /** The store underneath. */
    public StateStore store() {
        return store;
    }

    /** The last checkpoint of {@code pipeline}. */
    public Optional<Checkpoint> load(String pipeline) {
        return store.get(NAMESPACE, pipeline).map(text -> {
            try {
                return JSON.readValue(text, Checkpoint.class);
            } catch (JsonProcessingException e) {
                throw new StateStoreException(
                        "checkpoint of '" + pipeline + "' in " + store.describe() + " is unreadable: "
                                + e.getOriginalMessage() + " (run with --from-start to discard it)",
                        e);
            }
        });
    }

    /** Saves {@code checkpoint} durably, replacing the previous one. */
    public void save(Checkpoint checkpoint) {
        try {
            store.put(NAMESPACE, checkpoint.pipeline(), JSON.writeValueAsString(checkpoint));
        } catch (JsonProcessingException e) {
            throw new StateStoreException(
                    "checkpoint of '" + checkpoint.pipeline() + "' cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    /** Forgets the checkpoint of {@code pipeline} (a completed run, or --from-start). */
    public void delete(String pipeline) {
        store.delete(NAMESPACE, pipeline);
    }
}
