package io.dataflare.plugins.transforms.cast;

import io.dataflare.api.data.FieldType;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.error.InvalidRecordException;
import io.dataflare.api.processor.RecordMapper;
import io.dataflare.plugins.transforms.shape.ShapeCache;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The per-record work of {@code cast}, run through {@code Processor.mapping} (a problem is thrown as
 * {@link InvalidRecordException}, which rejects the record). Converts and checks fields; see {@link CastFactory}. Field positions are looked up once per input
 * shape. A record none of whose values changes is passed on as is. An empty string cast to a
 * non-string type is a missing value (null), as an empty CSV cell is.
 */
final class CastRecords implements RecordMapper {
    private final String[] names;
    private final FieldType[] types;
    private final String[] required;
    private final int[] requiredInSchema;
    private final Object[] converted;
    private final ShapeCache<Positions> positions = new ShapeCache<>(this::positionsOf);

    /** Where the schema's and the required fields are in one input shape (-1: absent). */
    private record Positions(int[] typed, int[] required) {}

    CastRecords(Map<String, FieldType> schema, List<String> required) {
        this.names = schema.keySet().toArray(new String[0]);
        this.types = schema.values().toArray(new FieldType[0]);
        this.required = required.toArray(new String[0]);
        this.requiredInSchema = new int[this.required.length];
        for (int k = 0; k < this.required.length; k++)
            requiredInSchema[k] = Arrays.asList(names).indexOf(this.required[k]);
        this.converted = new Object[names.length];
    }

    @Override
    public Record apply(Record r) {
        Positions p = positions.get(r.fields());
        String problem = cast(r, p);
        if (problem != null) throw new InvalidRecordException(problem);
        return rebuild(r, p);
    }

    /** Fills {@link #converted}; the reason the record is rejected, or null. */
    private String cast(Record r, Positions p) {
        for (int k = 0; k < names.length; k++) {
            int at = p.typed[k];
            Object v = at < 0 ? null : r.value(at);
            try {
                converted[k] = v == null || (types[k] != FieldType.STRING && "".equals(v)) ? null : types[k].convert(v);
            } catch (IllegalArgumentException e) {
                return "field '" + names[k] + "': " + e.getMessage();
            }
        }
        for (int k = 0; k < required.length; k++) {
            int at = p.required[k];
            int s = requiredInSchema[k];
            if (at < 0 || (s >= 0 ? converted[s] : r.value(at)) == null)
                return "field '" + required[k] + "' is required";
        }
        return null;
    }

    private Record rebuild(Record r, Positions p) {
        Record.Builder b = null;
        for (int k = 0; k < names.length; k++) {
            int at = p.typed[k];
            if (at >= 0 && converted[k] != r.value(at)) {
                if (b == null) b = r.toBuilder();
                b.set(at, converted[k]);
            }
        }
        return b == null ? r : b.build();
    }

    private Positions positionsOf(Fields f) {
        int[] typed = new int[names.length];
        for (int k = 0; k < names.length; k++) typed[k] = f.indexOf(names[k]);
        int[] req = new int[required.length];
        for (int k = 0; k < required.length; k++) req[k] = f.indexOf(required[k]);
        return new Positions(typed, req);
    }
}
