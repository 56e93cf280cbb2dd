package io.dataflare.polyglot.session;

import io.dataflare.json.RecordJson;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Value;

/**
 * Guest values to record values. Numbers: a whole number becomes a long, unless the guest says it is a
 * float (Python) or the input record had the field as a double (JavaScript has one number type); beyond the
 * long and double ranges, a decimal. A string returned for a field that was bytes, a timestamp or a decimal
 * converts back, and so does a number for a field that was a decimal (from its shortest text: JavaScript
 * arithmetic on a decimal is double arithmetic). Dates become timestamps, arrays lists, objects and dicts maps
 * (recursively), byte buffers bytes; anything else its string form.
 */
public final class GuestValues {
    private GuestValues() {}

    /** {@code v} as a record value; {@code isFloat}: the guest marked it a float; {@code before}: the input's value of the field, or null. */
    static Object toRecordValue(Value v, boolean isFloat, Object before) {
        if (v.isNull()) return null;
        if (v.isString()) return RecordJson.restoreLike(v.asString(), before);
        if (v.isNumber()) {
            if (!isFloat && !(before instanceof Double) && v.fitsInLong())
                return RecordJson.restoreLike(v.asLong(), before);
            if (v.fitsInBigInteger() && !v.fitsInLong()) return new BigDecimal(v.asBigInteger()); // beyond long
            if (v.fitsInDouble()) return RecordJson.restoreLike(v.asDouble(), before);
            return v.toString();
        }
        if (v.isBoolean()) return v.asBoolean();
        return toJava(v);
    }

    /**
     * A value the guest wrote into a host array (a string, number, boolean or null, as the polyglot layer
     * converts them: whole JavaScript numbers mostly as {@code Integer}, others and Python floats as {@code
     * Double}) as a record value, by the rules of {@link #toRecordValue}; {@code typedFloats}: a {@code Double}
     * is a float the guest typed as one (Python), not a number that happens to have a fraction (JavaScript).
     */
    static Object fromHost(Object v, Object before, boolean typedFloats) {
        if (v == null || v instanceof Boolean) return v;
        if (v instanceof String s) return RecordJson.restoreLike(s, before);
        if (v instanceof Double d) {
            double x = d;
            boolean whole = x == Math.rint(x) && !Double.isInfinite(x);
            boolean fitsLong = whole && x >= -0x1p63 && x < 0x1p63 && !(x == 0 && Double.doubleToRawLongBits(x) != 0);
            if (fitsLong && !typedFloats && !(before instanceof Double))
                return RecordJson.restoreLike((long) x, before);
            if (whole && !fitsLong && x != 0) return new BigDecimal(x); // beyond long: exact, scale 0
            return RecordJson.restoreLike(x, before);
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            long x = ((Number) v).longValue();
            return before instanceof Double
                    ? RecordJson.restoreLike((double) x, before)
                    : RecordJson.restoreLike(x, before);
        }
        if (v instanceof Number n) return RecordJson.restoreLike(n.doubleValue(), before);
        return String.valueOf(v);
    }

    /** A nested guest value (list, map, date...) as a plain Java value. */
    public static Object toJava(Value v) {
        return convert(v, false);
    }

    /**
     * A guest value as a plain Java value, a Python {@code float} with a whole value kept a double (what a
     * script source's records and a script's positions and checkpoint states are read with; the processor's
     * batch loop has its own float marks).
     */
    public static Object toPlain(Value v) {
        return convert(v, true);
    }

    private static Object convert(Value v, boolean floats) {
        if (v.isNull()) return null;
        if (v.isString()) return v.asString();
        if (v.isBoolean()) return v.asBoolean();
        if (v.isNumber()) {
            if (v.fitsInLong() && !(floats && pythonFloat(v))) return v.asLong();
            return v.fitsInDouble() ? (Object) v.asDouble() : v.toString();
        }
        if (v.isInstant()) return v.asInstant();
        if (v.isDate() && v.isTime())
            return LocalDateTime.of(v.asDate(), v.asTime()).toInstant(ZoneOffset.UTC);
        if (v.isDate()) return v.asDate().atStartOfDay(ZoneOffset.UTC).toInstant();
        if (v.hasBufferElements()) {
            byte[] b = new byte[(int) v.getBufferSize()];
            v.readBuffer(0, b, 0, b.length);
            return b;
        }
        if (v.hasArrayElements()) {
            List<Object> out = new ArrayList<>((int) Math.min(v.getArraySize(), 1 << 16));
            for (long i = 0; i < v.getArraySize(); i++) out.add(convert(v.getArrayElement(i), floats));
            return Collections.unmodifiableList(out);
        }
        if (v.hasHashEntries()) { // Python dict
            Map<String, Object> out = new LinkedHashMap<>();
            Value it = v.getHashEntriesIterator();
            while (it.hasIteratorNextElement()) {
                Value e = it.getIteratorNextElement();
                out.put(
                        e.getArrayElement(0).isString()
                                ? e.getArrayElement(0).asString()
                                : e.getArrayElement(0).toString(),
                        convert(e.getArrayElement(1), floats));
            }
            return Collections.unmodifiableMap(out);
        }
        if (v.hasMembers() && !v.canExecute() && !v.isMetaObject()) { // JavaScript object
            Map<String, Object> out = new LinkedHashMap<>();
            for (String k : v.getMemberKeys()) {
                Value m = v.getMember(k);
                if (m != null && !m.canExecute()) out.put(k, convert(m, floats));
            }
            return Collections.unmodifiableMap(out);
        }
        return v.toString();
    }

    private static boolean pythonFloat(Value v) {
        Value meta = v.getMetaObject();
        return meta != null && "float".equals(meta.getMetaSimpleName());
    }
}
