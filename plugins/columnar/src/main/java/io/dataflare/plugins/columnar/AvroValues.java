package io.dataflare.plugins.columnar;

import io.dataflare.api.data.FieldType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;

/**
 * Converts record values to Avro's generic representation for a schema and back: decimals stay exact
 * ({@code bytes}/{@code fixed}/{@code int}/{@code long} with the decimal logical type), timestamps are
 * {@link Instant}s ({@code timestamp-millis/micros/nanos}), dates are midnight UTC.
 */
final class AvroValues {
    private static final long SECONDS_PER_DAY = 86_400;

    private AvroValues() {}

    /**
     * {@code value} as the Avro datum of {@code schema}.
     *
     * @throws IllegalArgumentException saying why the value does not fit (the caller adds the field)
     */
    static Object toAvro(Object value, Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            if (value == null) {
                if (schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL)) return null;
                throw new IllegalArgumentException("null where the column is not optional");
            }
            for (Schema branch : schema.getTypes()) {
                if (branch.getType() != Schema.Type.NULL) return toAvro(value, branch);
            }
        }
        if (value == null) throw new IllegalArgumentException("null where the column is not optional");
        LogicalType logical = schema.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal d) return decimal(value, schema, d);
        return switch (schema.getType()) {
            case STRING -> FieldType.STRING.convert(value);
            case ENUM -> enumSymbol(value, schema);
            case BOOLEAN -> FieldType.BOOLEAN.convert(value);
            case DOUBLE -> FieldType.DOUBLE.convert(value);
            case FLOAT -> ((Double) FieldType.DOUBLE.convert(value)).floatValue();
            case INT -> {
                if (logical instanceof LogicalTypes.Date) yield date(value);
                long l = (Long) FieldType.LONG.convert(value);
                if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(l + " is out of the int range");
                }
                yield (int) l;
            }
            case LONG -> timestampOrLong(value, logical);
            case BYTES -> ByteBuffer.wrap((byte[]) FieldType.BYTES.convert(value));
            case FIXED -> {
                byte[] b = (byte[]) FieldType.BYTES.convert(value);
                if (b.length != schema.getFixedSize()) {
                    throw new IllegalArgumentException(
                            b.length + " bytes where the column holds exactly " + schema.getFixedSize());
                }
                yield new GenericData.Fixed(schema, b);
            }
            case ARRAY -> {
                if (!(value instanceof List<?> list)) throw new IllegalArgumentException("not a list");
                List<Object> out = new ArrayList<>(list.size());
                for (Object o : list) out.add(toAvro(o, schema.getElementType()));
                yield out;
            }
            case MAP -> {
                if (!(value instanceof Map<?, ?> map)) throw new IllegalArgumentException("not a map");
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    out.put(String.valueOf(e.getKey()), toAvro(e.getValue(), schema.getValueType()));
                }
                yield out;
            }
            case RECORD -> {
                if (!(value instanceof Map<?, ?> map)) throw new IllegalArgumentException("not a map");
                GenericData.Record out = new GenericData.Record(schema);
                for (Schema.Field f : schema.getFields()) out.put(f.pos(), toAvro(map.get(f.name()), f.schema()));
                yield out;
            }
            default -> throw new IllegalArgumentException("no value fits Avro type " + schema.getType());
        };
    }

    private static Object enumSymbol(Object value, Schema schema) {
        String s = (String) FieldType.STRING.convert(value);
        if (!schema.hasEnumSymbol(s)) {
            throw new IllegalArgumentException("not one of " + schema.getEnumSymbols());
        }
        return new GenericData.EnumSymbol(schema, s);
    }

    private static Object decimal(Object value, Schema schema, LogicalTypes.Decimal type) {
        BigDecimal d = (BigDecimal) FieldType.DECIMAL.convert(value);
        BigDecimal scaled;
        try {
            scaled = d.setScale(type.getScale(), RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    "has more than " + type.getScale() + " decimal places (the column is decimal(" + type.getPrecision()
                            + "," + type.getScale() + "); rounding would change it)");
        }
        if (scaled.precision() > type.getPrecision()) {
            throw new IllegalArgumentException("has more than " + type.getPrecision()
                    + " digits (the column is decimal(" + type.getPrecision() + "," + type.getScale() + "))");
        }
        BigInteger unscaled = scaled.unscaledValue();
        return switch (schema.getType()) {
            case BYTES -> ByteBuffer.wrap(unscaled.toByteArray());
            case FIXED -> {
                byte[] bytes = unscaled.toByteArray();
                int size = schema.getFixedSize();
                if (bytes.length > size) throw new IllegalArgumentException("does not fit in " + size + " bytes");
                byte[] out = new byte[size];
                // two's complement, sign-extended to the fixed size
                Arrays.fill(out, 0, size - bytes.length, (byte) (unscaled.signum() < 0 ? 0xFF : 0));
                System.arraycopy(bytes, 0, out, size - bytes.length, bytes.length);
                yield new GenericData.Fixed(schema, out);
            }
            case INT -> unscaled.intValueExact();
            case LONG -> unscaled.longValueExact();
            default -> throw new IllegalArgumentException("a decimal cannot be stored as " + schema.getType());
        };
    }

    private static int date(Object value) {
        Instant t = (Instant) FieldType.TIMESTAMP.convert(value);
        long seconds = t.getEpochSecond();
        if (t.getNano() != 0 || Math.floorMod(seconds, SECONDS_PER_DAY) != 0) {
            throw new IllegalArgumentException(
                    t + " is not a date (midnight UTC); the column holds days, the time of day would be lost");
        }
        return Math.toIntExact(Math.floorDiv(seconds, SECONDS_PER_DAY));
    }

    private static long timestampOrLong(Object value, LogicalType logical) {
        if (logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.LocalTimestampMillis) {
            Instant t = (Instant) FieldType.TIMESTAMP.convert(value);
            if (t.getNano() % 1_000_000 != 0) {
                throw new IllegalArgumentException(t + " has a finer precision than the column's milliseconds");
            }
            return t.toEpochMilli();
        }
        if (logical instanceof LogicalTypes.TimestampMicros || logical instanceof LogicalTypes.LocalTimestampMicros) {
            Instant t = (Instant) FieldType.TIMESTAMP.convert(value);
            if (t.getNano() % 1_000 != 0) {
                throw new IllegalArgumentException(t + " has a finer precision than the column's microseconds");
            }
            return ChronoUnit.MICROS.between(Instant.EPOCH, t);
        }
        if (logical instanceof LogicalTypes.TimestampNanos || logical instanceof LogicalTypes.LocalTimestampNanos) {
            return ChronoUnit.NANOS.between(Instant.EPOCH, (Instant) FieldType.TIMESTAMP.convert(value));
        }
        return (Long) FieldType.LONG.convert(value);
    }

    /** The record value of an Avro datum of {@code schema}. */
    static Object fromAvro(Object datum, Schema schema) {
        if (datum == null) return null;
        switch (datum) {
            // a data model with logical-type conversions may have converted already
            case BigDecimal d -> {
                return d;
            }
            case Instant t -> {
                return t;
            }
            case LocalDate d -> {
                return d.atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            case LocalDateTime t -> {
                return t.toInstant(ZoneOffset.UTC);
            }
            default -> {}
        }
        LogicalType logical = schema.getLogicalType();
        switch (schema.getType()) {
            case UNION:
                return fromAvro(datum, schema.getTypes().get(GenericData.get().resolveUnion(schema, datum)));
            case STRING:
            case ENUM:
                return datum.toString();
            case BOOLEAN:
            case DOUBLE:
                return datum;
            case FLOAT:
                // the float's shortest text, as the writer meant it: 0.1f reads 0.1, not 0.10000000149
                return Double.parseDouble(datum.toString());
            case INT:
                if (logical instanceof LogicalTypes.Decimal d) return BigDecimal.valueOf((Integer) datum, d.getScale());
                if (logical instanceof LogicalTypes.Date)
                    return Instant.ofEpochSecond((Integer) datum * SECONDS_PER_DAY);
                return ((Integer) datum).longValue();
            case LONG:
                return longValue((Long) datum, logical);
            case BYTES: {
                ByteBuffer b = ((ByteBuffer) datum).duplicate();
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                if (logical instanceof LogicalTypes.Decimal d)
                    return new BigDecimal(new BigInteger(bytes), d.getScale());
                return bytes;
            }
            case FIXED: {
                byte[] bytes = ((GenericFixed) datum).bytes();
                if (logical instanceof LogicalTypes.Decimal d)
                    return new BigDecimal(new BigInteger(bytes), d.getScale());
                return bytes.clone();
            }
            case ARRAY: {
                List<Object> out = new ArrayList<>();
                for (Object o : (Iterable<?>) datum) out.add(fromAvro(o, schema.getElementType()));
                return out;
            }
            case MAP: {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) datum).entrySet()) {
                    out.put(e.getKey().toString(), fromAvro(e.getValue(), schema.getValueType()));
                }
                return out;
            }
            case RECORD: {
                GenericRecord r = (GenericRecord) datum;
                Map<String, Object> out = new LinkedHashMap<>();
                for (Schema.Field f : schema.getFields()) out.put(f.name(), fromAvro(r.get(f.pos()), f.schema()));
                return out;
            }
            default:
                return datum instanceof Utf8 u ? u.toString() : datum;
        }
    }

    private static Object longValue(long l, LogicalType logical) {
        if (logical instanceof LogicalTypes.Decimal d) return BigDecimal.valueOf(l, d.getScale());
        if (logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.LocalTimestampMillis) {
            return Instant.ofEpochMilli(l);
        }
        if (logical instanceof LogicalTypes.TimestampMicros || logical instanceof LogicalTypes.LocalTimestampMicros) {
            return Instant.EPOCH.plus(l, ChronoUnit.MICROS);
        }
        if (logical instanceof LogicalTypes.TimestampNanos || logical instanceof LogicalTypes.LocalTimestampNanos) {
            return Instant.EPOCH.plusNanos(l);
        }
        return l;
    }
}
