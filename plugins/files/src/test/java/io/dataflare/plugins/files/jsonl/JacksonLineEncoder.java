package io.dataflare.plugins.files.jsonl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.json.RecordJson;
import io.dataflare.plugins.files.output.RecordEncoder;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The JSON-lines encoder the sink used before {@link JsonLineEncoder}: Jackson's generator with {@link RecordJson}'s
 * value form and field names pre-encoded per {@link Fields}. Kept as the reference the hand-written encoder must
 * match byte for byte.
 */
final class JacksonLineEncoder implements RecordEncoder {
    private static final int BUFFER = 64 * 1024;
    private static final int MAX_SHAPES = 256;

    private final JsonGenerator generator;
    private final Map<Fields, SerializableString[]> names = new IdentityHashMap<>();
    private Fields lastFields;
    private SerializableString[] lastNames;

    /** An encoder writing to {@code out}, which it closes when closed. */
    JacksonLineEncoder(JsonFactory factory, OutputStream out) throws IOException {
        this.generator = factory.createGenerator(new BufferedOutputStream(out, BUFFER));
    }

    @Override
    public void encode(Record r) throws IOException {
        SerializableString[] n = namesOf(r.fields());
        JsonGenerator g = generator;
        g.writeStartObject();
        for (int i = 0; i < n.length; i++) {
            g.writeFieldName(n[i]);
            RecordJson.writeValue(g, r.value(i));
        }
        g.writeEndObject();
        g.writeRaw('\n');
    }

    private SerializableString[] namesOf(Fields f) {
        if (f == lastFields) return lastNames;
        SerializableString[] n = names.get(f);
        if (n == null) {
            n = new SerializableString[f.size()];
            for (int i = 0; i < n.length; i++) n[i] = new SerializedString(f.name(i));
            if (names.size() >= MAX_SHAPES) names.clear();
            names.put(f, n);
        }
        lastFields = f;
        lastNames = n;
        return n;
    }

    @Override
    public void flush() throws IOException {
        generator.flush();
    }

    @Override
    public void close() throws IOException {
        generator.close();
    }
}
