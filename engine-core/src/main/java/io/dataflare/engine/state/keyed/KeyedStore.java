package io.dataflare.engine.state.keyed;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The bytes of one stage instance's keyed state: keys begin with their key group (two bytes, big-endian), so
 * the state of given key groups can be exported and imported as a whole (rescaling moves key groups between
 * instances) and a checkpoint can snapshot it. Used by one worker at a time; snapshots are taken while the
 * run is quiesced.
 */
public interface KeyedStore extends AutoCloseable {
    /** The value of {@code key}, or null. */
    byte[] get(byte[] key);

    void put(byte[] key, byte[] value);

    void delete(byte[] key);

    /** Every entry whose key starts with {@code prefix}, in key order (unsigned bytes). */
    void scan(byte[] prefix, BiConsumer<byte[], byte[]> entry);

    /** Every entry of the key groups {@code groups}, in key order. */
    List<Map.Entry<byte[], byte[]>> exportGroups(Set<Integer> groups);

    /** Adds exported entries (replacing equal keys). */
    void importEntries(List<Map.Entry<byte[], byte[]>> entries);

    /** Removes every entry of the key groups {@code groups} (after they moved to another instance). */
    void dropGroups(Set<Integer> groups);

    /**
     * Writes what a restore needs to {@code files}, under names starting with {@code prefix} and unique to
     * checkpoint {@code checkpointId}; returns the names the restore reads (which may include files of earlier
     * snapshots still valid: an incremental snapshot only writes what changed since the previous one).
     */
    List<String> snapshot(SnapshotFiles files, String prefix, long checkpointId);

    /** The next snapshot must not build on the previous one (whose checkpoint was not saved). */
    void snapshotDiscarded();

    /** Replaces the content with a snapshot's. */
    void restore(SnapshotFiles files, List<String> names);

    /** The backend's name, as in {@code runtime.state.backend}. */
    String backend();

    @Override
    void close();
}
