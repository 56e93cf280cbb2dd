package io.dataflare.workflow.interpreter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** History events as JSON (one object per event), for durable logs and {@code workflow history}. */
public final class HistoryJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private HistoryJson() {}

    public static String write(HistoryEvent e) {
        try {
            return MAPPER.writeValueAsString(e);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("an event did not serialise: " + ex.getOriginalMessage(), ex);
        }
    }

    /** @throws JsonProcessingException when the text is not an event */
    public static HistoryEvent read(String json) throws JsonProcessingException {
        return MAPPER.readValue(json, HistoryEvent.class);
    }
}
