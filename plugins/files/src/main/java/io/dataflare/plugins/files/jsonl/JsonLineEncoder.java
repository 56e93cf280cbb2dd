package io.dataflare.plugins.files.jsonl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.json.RecordJson;
import io.dataflare.plugins.files.output.RecordEncoder;
import io.dataflare.plugins.files.output.SinkFormat;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Writes each record as one JSON object on its own line (UTF-8), values in {@link RecordJson}'s form. One
 * generator serves the whole stream, and field names are pre-encoded once per {@link Fields}, so a record costs no allocation
 * beyond Jackson's own number formatting.
 */
public final class JsonLineEncoder implements RecordEncoder {
    private static final int BUFFER = 64 * 1024;
    private static final int MAX_SHAPES = 256;

    private final JsonGenerator generator;
    private final Map<Fields, SerializableString[]> names = new IdentityHashMap<>();
    private Fields lastFields;
    private SerializableString[] lastNames;

    /** An encoder writing to {@code out}, which it closes when closed. */
    public JsonLineEncoder(JsonFactory factory, OutputStream out) throws IOException {
        this.generator = factory.createGenerator(new BufferedOutputStream(out, BUFFER));
    }

    /** JSON lines as a sink format, for one sink instance. */
    public static SinkFormat format() {
        JsonFactory factory = RecordJson.newFactory();
        return (out, target, fresh) -> new JsonLineEncoder(factory, out);
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
