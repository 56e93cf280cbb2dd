package io.dataflare.engine.state.keyed;

import io.dataflare.engine.state.StateStoreException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Keyed state on the heap ({@code runtime.state.backend: memory}, the default): a sorted map, and a change log
 * of the keys written since the last snapshot. A snapshot writes only the change log (a delta file) on top of
 * the previous snapshot's files; once the deltas would outgrow half of the full snapshot the next one is a full
 * snapshot again, so a restore never reads much more than the state itself.
 */
public final class HeapKeyedStore implements KeyedStore {
    private static final byte[] DELETED = new byte[0];

    private final TreeMap<byte[], byte[]> data = new TreeMap<>(Arrays::compareUnsigned);
    /** Keys written since the last snapshot: the new value, or {@link #DELETED}. */
    private Map<ByteKey, byte[]> changes = new HashMap<>();
    /** The files of the last snapshot (full first, then deltas), or null: the next one is full. */
    private List<String> chain;

    private long fullBytes;
    private long deltaBytes;

    private record ByteKey(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ByteKey k && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    @Override
    public String backend() {
        return "memory";
    }

    @Override
    public synchronized byte[] get(byte[] key) {
        return data.get(key);
    }

    @Override
    public synchronized void put(byte[] key, byte[] value) {
        data.put(key, value);
        changes.put(new ByteKey(key), value);
    }

    @Override
    public synchronized void delete(byte[] key) {
        if (data.remove(key) != null) changes.put(new ByteKey(key), DELETED);
    }

    @Override
    public synchronized void scan(byte[] prefix, BiConsumer<byte[], byte[]> entry) {
        for (Map.Entry<byte[], byte[]> e : data.tailMap(prefix, true).entrySet()) {
            if (!startsWith(e.getKey(), prefix)) break;
            entry.accept(e.getKey(), e.getValue());
        }
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    static int group(byte[] key) {
        return ((key[0] & 0xFF) << 8) | (key[1] & 0xFF);
    }

    @Override
    public synchronized List<Map.Entry<byte[], byte[]>> exportGroups(Set<Integer> groups) {
        List<Map.Entry<byte[], byte[]>> out = new ArrayList<>();
        for (int g : new java.util.TreeSet<>(groups)) {
            scan(StateKeys.groupPrefix(g), (k, v) -> out.add(new AbstractMap.SimpleImmutableEntry<>(k, v)));
        }
        return out;
    }

    @Override
    public synchronized void importEntries(List<Map.Entry<byte[], byte[]>> entries) {
        for (Map.Entry<byte[], byte[]> e : entries) put(e.getKey(), e.getValue());
    }

    @Override
    public synchronized void dropGroups(Set<Integer> groups) {
        for (Map.Entry<byte[], byte[]> e : exportGroups(groups)) delete(e.getKey());
    }

    @Override
    public synchronized List<String> snapshot(SnapshotFiles files, String prefix, long checkpointId) {
        // the coming delta's size, estimated from the average entry of the full snapshot
        long estimate = changes.size() * (fullBytes / Math.max(1, data.size()));
        boolean full = chain == null || deltaBytes + estimate > fullBytes / 2;
        List<String> out = full ? new ArrayList<>() : new ArrayList<>(chain);
        String name = prefix + checkpointId + (full ? ".full" : ".delta");
        byte[] bytes = full ? encode(data.entrySet()) : encodeChanges();
        files.write(name, bytes);
        out.add(name);
        if (full) {
            fullBytes = bytes.length;
            deltaBytes = 0;
        } else {
            deltaBytes += bytes.length;
        }
        changes = new HashMap<>();
        chain = List.copyOf(out);
        return chain;
    }

    @Override
    public synchronized void snapshotDiscarded() {
        chain = null;
    }

    @Override
    public synchronized void restore(SnapshotFiles files, List<String> names) {
        data.clear();
        fullBytes = 0;
        deltaBytes = 0;
        for (String n : names) {
            byte[] bytes = files.read(n);
            if (n.endsWith(".full")) fullBytes += bytes.length;
            else deltaBytes += bytes.length;
            apply(n, bytes);
        }
        changes = new HashMap<>();
        chain = List.copyOf(names);
    }

    /** How many entries it holds. */
    public synchronized int size() {
        return data.size();
    }

    @Override
    public void close() {}

    private static byte[] encode(Iterable<Map.Entry<byte[], byte[]>> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (Map.Entry<byte[], byte[]> e : entries) {
                out.writeInt(e.getKey().length);
                out.write(e.getKey());
                if (e.getValue() == DELETED) {
                    out.writeInt(-1);
                } else {
                    out.writeInt(e.getValue().length);
                    out.write(e.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private byte[] encodeChanges() {
        List<Map.Entry<byte[], byte[]>> list = new ArrayList<>(changes.size());
        changes.forEach((k, v) -> list.add(new AbstractMap.SimpleImmutableEntry<>(k.bytes(), v)));
        return encode(list);
    }

    private void apply(String name, byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            while (in.available() > 0) {
                byte[] key = in.readNBytes(in.readInt());
                int n = in.readInt();
                if (n < 0) data.remove(key);
                else data.put(key, in.readNBytes(n));
            }
        } catch (IOException e) {
            throw new StateStoreException("state snapshot " + name + " is damaged: " + e.getMessage(), e);
        }
    }
}
