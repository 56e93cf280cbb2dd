package io.dataflare.plugins.files.jsonl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.json.RecordJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written JSON-lines encoder against the Jackson generator it replaced: the same bytes for any record. */
class JsonLineEncoderTest {
    private static final double[] SPECIAL_DOUBLES = {
        0.0,
        -0.0,
        Double.NaN,
        Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY,
        Double.MIN_VALUE,
        -Double.MIN_VALUE,
        Double.MAX_VALUE,
        -Double.MAX_VALUE,
        Double.MIN_NORMAL,
        1e7,
        9999999.999,
        1e-3,
        9.99e-4,
        1e21,
        1e22,
        1e23,
        2e-323,
        0.1,
        0.3,
        1.0 / 3,
        100.0,
        123456789012345678.0,
        4.35,
        2.0E-3
    };
    private static final long[] SPECIAL_LONGS = {
        Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, 1, Integer.MIN_VALUE, Integer.MAX_VALUE, 999_999_999_999_999_999L
    };
    private static final char[] TRICKY_CHARS = {
        '"', '\\', '/', '\b', '\t', '\n', '\f', '\r', 0, 0x1f, 0x7f, 0x80, 0x7ff, 0x800, 0xfffe, 0xffff, 0xd800, 0xdbff,
        0xdc00, 0xdfff, 0x2028, 0x2029, 0xe9
    };

    @Test
    void randomRecordsGiveTheSameBytesAsTheJacksonGenerator() throws IOException {
        long seed = new Random().nextLong();
        for (long s : new long[] {1, 2, 3, seed}) {
            Random rnd = new Random(s);
            List<Record> records = new ArrayList<>();
            List<Fields> shapes = new ArrayList<>();
            for (int i = 0; i < 8; i++) shapes.add(randomFields(rnd));
            for (int i = 0; i < 3000; i++) records.add(randomRecord(rnd, shapes.get(rnd.nextInt(shapes.size()))));

            // record by record, for a readable difference...
            for (Record r : records) {
                assertThat(utf8(encoded(r))).as("seed %d, record %s", s, r).isEqualTo(utf8(reference(r)));
            }
            // ...and as one stream, through buffer flushes and growth
            assertThat(encoded(records.toArray(Record[]::new)))
                    .as("seed %d", s)
                    .isEqualTo(reference(records.toArray(Record[]::new)));
        }
    }

    @Test
    void randomDoublesAndLongsAreFormattedAsJacksonFormatsThem() throws IOException {
        Random rnd = new Random(42);
        Fields f = Fields.of("d", "e", "l");
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            double bits = Double.longBitsToDouble(rnd.nextLong());
            double decimal = Math.round(rnd.nextDouble() * 1e6) / Math.pow(10, rnd.nextInt(12));
            records.add(Record.of(f, bits, decimal, rnd.nextLong() >> rnd.nextInt(64)));
        }
        assertThat(utf8(encoded(records.toArray(Record[]::new))))
                .isEqualTo(utf8(reference(records.toArray(Record[]::new))));
    }

    @Test
    void aRecordLongerThanTheBufferIsWrittenWhole() throws IOException {
        Record big =
                Record.builder().set("s", "é\"".repeat(100_000)).set("n", 1L).build();
        Record small = Record.builder().set("a", "x").build();
        assertThat(encoded(small, big, small, big)).isEqualTo(reference(small, big, small, big));
    }

    @Test
    void aFieldNameWithALoneSurrogateIsRefusedAsBefore() {
        Record r = Record.builder().set("x\ud800", 1L).build();
        assertThatThrownBy(() -> reference(r)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> encoded(r)).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] encoded(Record... records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonLineEncoder e = new JsonLineEncoder(out)) {
            for (Record r : records) e.encode(r);
        }
        return out.toByteArray();
    }

    private static byte[] reference(Record... records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JacksonLineEncoder e = new JacksonLineEncoder(RecordJson.newFactory(), out)) {
            for (Record r : records) e.encode(r);
        }
        return out.toByteArray();
    }

    private static String utf8(byte[] b) {
        // lone surrogates are written as escapes, so the bytes are always valid UTF-8
        return new String(b, StandardCharsets.UTF_8);
    }

    private static Fields randomFields(Random rnd) {
        int n = rnd.nextInt(7);
        List<String> names = new ArrayList<>();
        while (names.size() < n) {
            String name = randomString(rnd, 6, false);
            if (!name.isEmpty() && !names.contains(name)) names.add(name);
        }
        return Fields.of(names.toArray(String[]::new));
    }

    private static Record randomRecord(Random rnd, Fields f) {
        Object[] values = new Object[f.size()];
        for (int i = 0; i < values.length; i++) values[i] = randomValue(rnd, 0);
        return Record.of(f, values);
    }

    private static Object randomValue(Random rnd, int depth) {
        switch (rnd.nextInt(depth < 3 ? 12 : 10)) {
            case 0:
                return null;
            case 1:
            case 2:
                return randomString(rnd, 40, true);
            case 3:
                return rnd.nextBoolean() ? SPECIAL_LONGS[rnd.nextInt(SPECIAL_LONGS.length)] : rnd.nextLong();
            case 4:
                return rnd.nextBoolean()
                        ? SPECIAL_DOUBLES[rnd.nextInt(SPECIAL_DOUBLES.length)]
                        : rnd.nextBoolean()
                                ? Double.longBitsToDouble(rnd.nextLong())
                                : (rnd.nextInt(2_000_000) - 1_000_000) / Math.pow(10, rnd.nextInt(25) - 5);
            case 5:
                return rnd.nextBoolean();
            case 6:
                return Instant.ofEpochSecond(rnd.nextInt(), rnd.nextInt(1_000_000_000));
            case 7:
                return new BigDecimal(
                        new BigInteger(80, rnd).subtract(BigInteger.ONE.shiftLeft(79)), rnd.nextInt(140) - 70);
            case 8: {
                byte[] b = new byte[rnd.nextInt(20)];
                rnd.nextBytes(b);
                return b;
            }
            case 9:
                return randomString(rnd, 3, true);
            case 10: {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = rnd.nextInt(4); i > 0; i--) m.put(randomString(rnd, 6, true), randomValue(rnd, depth + 1));
                return m;
            }
            default: {
                List<Object> l = new ArrayList<>();
                for (int i = rnd.nextInt(4); i > 0; i--) l.add(randomValue(rnd, depth + 1));
                return l;
            }
        }
    }

    /** Mostly ASCII, with control chars, escapes, 2- and 3-byte chars, surrogate pairs and (if allowed) lone ones. */
    private static String randomString(Random rnd, int maxLength, boolean loneSurrogates) {
        StringBuilder sb = new StringBuilder();
        for (int i = rnd.nextInt(maxLength + 1); i > 0; i--) {
            switch (rnd.nextInt(6)) {
                case 0:
                    char t = TRICKY_CHARS[rnd.nextInt(TRICKY_CHARS.length)];
                    if (!Character.isSurrogate(t) || loneSurrogates) sb.append(t);
                    break;
                case 1:
                    sb.appendCodePoint(0x10000 + rnd.nextInt(0x100000));
                    break;
                case 2:
                    char c = (char) rnd.nextInt(0x10000);
                    if (!Character.isSurrogate(c) || loneSurrogates) sb.append(c);
                    break;
                case 3:
                    sb.append((char) rnd.nextInt(0x20));
                    break;
                default:
                    sb.append((char) (0x20 + rnd.nextInt(0x5f)));
            }
        }
        return sb.toString();
    }
}
