package io.dataflare.api.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bytes of JSON-compatible values ({@link StateType#json()}): a tag per value, then its content; strings,
 * lists and maps carry their length, so a value's encoding is self-delimiting (keys encoded this way can be
 * prefixes of longer keys).
 */
final class JsonValues {
    private static final byte NULL = 0, FALSE = 1, TRUE = 2, LONG = 3, DOUBLE = 4, DECIMAL = 5, STRING = 6;
    private static final byte BYTES = 7, INSTANT = 8, LIST = 9, MAP = 10;

    private JsonValues() {}

    static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    static long bytesLong(byte[] b) {
        if (b.length != 8) throw new IllegalArgumentException("a long state value has 8 bytes, not " + b.length);
        long v = 0;
        for (byte x : b) v = (v << 8) | (x & 0xFF);
        return v;
    }

    static byte[] encode(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(out, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Object decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return read(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("state value is not a JSON-compatible value: " + e.getMessage(), e);
        }
    }

    private static void write(DataOutputStream out, Object v) throws IOException {
        switch (v) {
            case null -> out.writeByte(NULL);
            case Boolean b -> out.writeByte(b ? TRUE : FALSE);
            case Long l -> {
                out.writeByte(LONG);
                out.writeLong(l);
            }
            case Integer i -> {
                out.writeByte(LONG);
                out.writeLong(i);
            }
            case Short s -> {
                out.writeByte(LONG);
                out.writeLong(s);
            }
            case Byte b -> {
                out.writeByte(LONG);
                out.writeLong(b);
            }
            case Double d -> {
                out.writeByte(DOUBLE);
                out.writeDouble(d);
            }
            case Float f -> {
                out.writeByte(DOUBLE);
                out.writeDouble(f);
            }
            case BigDecimal d -> {
                out.writeByte(DECIMAL);
                out.writeInt(d.scale());
                byte[] u = d.unscaledValue().toByteArray();
                out.writeInt(u.length);
                out.write(u);
            }
            case String s -> {
                out.writeByte(STRING);
                byte[] u = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.writeInt(u.length);
                out.write(u);
            }
            case byte[] b -> {
                out.writeByte(BYTES);
                out.writeInt(b.length);
                out.write(b);
            }
            case Instant t -> {
                out.writeByte(INSTANT);
                out.writeLong(t.getEpochSecond());
                out.writeInt(t.getNano());
            }
            case List<?> l -> {
                out.writeByte(LIST);
                out.writeInt(l.size());
                for (Object o : l) write(out, o);
            }
            case Map<?, ?> m -> {
                out.writeByte(MAP);
                out.writeInt(m.size());
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!(e.getKey() instanceof String k))
                        throw new IllegalArgumentException("state map keys must be strings, not " + e.getKey());
                    write(out, k);
                    write(out, e.getValue());
                }
            }
            default ->
                throw new IllegalArgumentException(
                        "a " + v.getClass().getName() + " is not a JSON-compatible state value");
        }
    }

    private static Object read(DataInputStream in) throws IOException {
        byte tag = in.readByte();
        return switch (tag) {
            case NULL -> null;
            case FALSE -> Boolean.FALSE;
            case TRUE -> Boolean.TRUE;
            case LONG -> in.readLong();
            case DOUBLE -> in.readDouble();
            case DECIMAL -> {
                int scale = in.readInt();
                yield new BigDecimal(new BigInteger(in.readNBytes(in.readInt())), scale);
            }
            case STRING -> new String(in.readNBytes(in.readInt()), java.nio.charset.StandardCharsets.UTF_8);
            case BYTES -> in.readNBytes(in.readInt());
            case INSTANT -> Instant.ofEpochSecond(in.readLong(), in.readInt());
            case LIST -> {
                int n = in.readInt();
                List<Object> l = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) l.add(read(in));
                yield l;
            }
            case MAP -> {
                int n = in.readInt();
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) m.put((String) read(in), read(in));
                yield m;
            }
            default -> throw new IOException("unknown tag " + tag);
        };
    }
}
