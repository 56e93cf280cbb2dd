package io.dataflare.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.dataflare.api.data.Record;
import io.dataflare.json.RecordJson;
import java.io.IOException;

/**
 * The API's JSON: timestamps as ISO-8601 text, bytes as base64; a {@link Record} (task output, events) as the
 * object of its fields in {@link RecordJson}'s form, as every other record JSON of DataFlare.
 */
public final class Json {
    /**
     * The deepest nesting a request's JSON may have: far beyond any pipeline or record, and shallow enough that
     * parsing a hostile body ends in a 400, never in a {@code StackOverflowError}.
     */
    public static final int MAX_NESTING_DEPTH = 200;

    /** The mapper every route reads and writes with. */
    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .build())
                    .build())
            .registerModule(new JavaTimeModule())
            .registerModule(new SimpleModule("dataflare-records").addSerializer(Record.class, new RecordSerializer()))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private Json() {}

    /** {@code value} as JSON text. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** Writes a record's fields with the record codec. */
    private static final class RecordSerializer extends StdSerializer<Record> {
        private static final long serialVersionUID = 1L;

        RecordSerializer() {
            super(Record.class);
        }

        @Override
        public void serialize(Record r, JsonGenerator g, SerializerProvider provider) throws IOException {
            RecordJson.writeFields(g, r);
        }
    }
}
