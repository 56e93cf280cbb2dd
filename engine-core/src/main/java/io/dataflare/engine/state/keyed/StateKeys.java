package io.dataflare.engine.state.keyed;

import io.dataflare.api.state.StateType;
import io.dataflare.engine.state.KeyGroups;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The store keys of keyed state: {@code [key group: 2 bytes][kind: 1 byte][name length: 2 bytes][name]
 * [record key, self-delimiting][map key]}. The key group comes first so that a key group is one key range;
 * operator-wide state is in the pseudo group {@link #OPERATOR_GROUP}, which no key group range contains.
 * Timers are entries of kind {@link #TIMER} named by their domain, the record key followed by the time (8 bytes,
 * sign bit flipped so that times sort as unsigned bytes); their value is the record key alone.
 */
final class StateKeys {
    static final int OPERATOR_GROUP = 0xFFFF;
    static final byte VALUE = 'v', LIST = 'l', MAP = 'm', OPERATOR = 'o', TIMER = 't';
    /** The instance's watermark: operator-wide, so it never moves with a key group. */
    static final byte[] WATERMARK = {(byte) 0xFF, (byte) 0xFF, TIMER, 'w'};

    private static final StateType<Object> JSON = StateType.json();

    private StateKeys() {}

    static byte[] groupPrefix(int group) {
        return new byte[] {(byte) (group >>> 8), (byte) group};
    }

    /** The key group of a record key: Integer, Short and Byte keys are the Long of the same value. */
    static int groupOf(Object key) {
        return KeyGroups.of(normalise(key), KeyGroups.DEFAULT_COUNT);
    }

    private static Object normalise(Object key) {
        return switch (key) {
            case Integer i -> (long) i;
            case Short s -> (long) s;
            case Byte b -> (long) b;
            case null, default -> key;
        };
    }

    /** The prefix of every entry of state {@code name} of {@code kind} for {@code key}. */
    static byte[] of(byte kind, String name, Object key) {
        return build(key == null && kind == OPERATOR ? OPERATOR_GROUP : groupOf(key), kind, name, key, null);
    }

    /** The key of one map entry. */
    static byte[] entry(String name, Object key, byte[] mapKey) {
        return build(groupOf(key), MAP, name, key, mapKey);
    }

    /** The key of a timer of domain {@code domain} ('e' or 'p') for {@code key} at {@code time}. */
    static byte[] timer(String domain, Object key, long time) {
        long t = time ^ Long.MIN_VALUE;
        byte[] suffix = new byte[8];
        for (int i = 0; i < 8; i++) suffix[i] = (byte) (t >>> (56 - 8 * i));
        return build(groupOf(key), TIMER, domain, key, suffix);
    }

    /** The time of a timer key (its last 8 bytes). */
    static long timerTime(byte[] timerKey) {
        long t = 0;
        for (int i = timerKey.length - 8; i < timerKey.length; i++) t = (t << 8) | (timerKey[i] & 0xFF);
        return t ^ Long.MIN_VALUE;
    }

    /** The prefix of every timer of domain {@code domain} in key group {@code group}. */
    static byte[] timerPrefix(int group, String domain) {
        byte[] n = domain.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[5 + n.length];
        out[0] = (byte) (group >>> 8);
        out[1] = (byte) group;
        out[2] = TIMER;
        out[3] = (byte) (n.length >>> 8);
        out[4] = (byte) n.length;
        System.arraycopy(n, 0, out, 5, n.length);
        return out;
    }

    /** A record key as stored (Integer, Short and Byte as Long), JSON-encoded. */
    static byte[] encodeKey(Object key) {
        return JSON.encode(normalise(key));
    }

    static Object decodeKey(byte[] encoded) {
        return JSON.decode(encoded);
    }

    private static byte[] build(int group, byte kind, String name, Object key, byte[] suffix) {
        if (key == null && kind != OPERATOR) throw new IllegalArgumentException("state key is null");
        ByteArrayOutputStream out = new ByteArrayOutputStream(32);
        out.write(group >>> 8);
        out.write(group);
        out.write(kind);
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        out.write(n.length >>> 8);
        out.write(n.length);
        out.writeBytes(n);
        if (kind != OPERATOR) out.writeBytes(JSON.encode(normalise(key)));
        if (suffix != null) out.writeBytes(suffix);
        return out.toByteArray();
    }
}
