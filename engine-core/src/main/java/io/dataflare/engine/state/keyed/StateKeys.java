package io.dataflare.engine.state.keyed;

import io.dataflare.api.state.StateType;
import io.dataflare.engine.state.KeyGroups;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The store keys of keyed state: {@code [key group: 2 bytes][kind: 1 byte][name length: 2 bytes][name]
 * [record key, self-delimiting][map key]}. The key group comes first so that a key group is one key range;
 * operator-wide state is in the pseudo group {@link #OPERATOR_GROUP}, which no key group range contains.
 */
final class StateKeys {
    static final int OPERATOR_GROUP = 0xFFFF;
    static final byte VALUE = 'v', LIST = 'l', MAP = 'm', OPERATOR = 'o';
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
