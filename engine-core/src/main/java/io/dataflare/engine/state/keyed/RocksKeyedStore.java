package io.dataflare.engine.state.keyed;

import io.dataflare.engine.state.StateStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.rocksdb.Checkpoint;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * Keyed state in an embedded RocksDB ({@code runtime.state.backend: rocksdb}): off the heap, on disk in a
 * working directory, for state bigger than memory. The working database is not durable by itself (no write-ahead
 * log: a crash discards it); the snapshots are. A snapshot flushes the memtable and takes a RocksDB checkpoint
 * (hard links to the immutable SST files); it copies only the SST files that no earlier snapshot of this store
 * holds (kept under {@code shared/} by their unique names) plus the small manifest files, as Flink's incremental
 * checkpoints do: its cost grows with what changed since the last one, not with the whole state.
 */
public final class RocksKeyedStore implements KeyedStore {
    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final Path dbDir;
    private final Options options;
    private final WriteOptions writes;
    private RocksDB db;

    /** A new, empty store working in {@code dir} (whatever is there is discarded). */
    public RocksKeyedStore(Path dir) {
        this.dir = dir;
        this.dbDir = dir.resolve("db");
        this.options = new Options().setCreateIfMissing(true);
        this.writes = new WriteOptions().setDisableWAL(true);
        deleteTree(dir);
        open();
    }

    private void open() {
        try {
            Files.createDirectories(dbDir);
            db = RocksDB.open(options, dbDir.toString());
        } catch (IOException | RocksDBException e) {
            throw new StateStoreException("cannot open the RocksDB state in " + dbDir + ": " + e.getMessage(), e);
        }
    }

    private static StateStoreException failed(String what, RocksDBException e) {
        return new StateStoreException("RocksDB state: " + what + " failed: " + e.getMessage(), e);
    }

    @Override
    public String backend() {
        return StateSettings.ROCKSDB;
    }

    @Override
    public byte[] get(byte[] key) {
        try {
            return db.get(key);
        } catch (RocksDBException e) {
            throw failed("get", e);
        }
    }

    @Override
    public void put(byte[] key, byte[] value) {
        try {
            db.put(writes, key, value);
        } catch (RocksDBException e) {
            throw failed("put", e);
        }
    }

    @Override
    public void delete(byte[] key) {
        try {
            db.delete(writes, key);
        } catch (RocksDBException e) {
            throw failed("delete", e);
        }
    }

    @Override
    public void scan(byte[] prefix, BiConsumer<byte[], byte[]> entry) {
        try (RocksIterator it = db.newIterator()) {
            for (it.seek(prefix); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (!HeapKeyedStore.startsWith(k, prefix)) break;
                entry.accept(k, it.value());
            }
        }
    }

    @Override
    public List<Map.Entry<byte[], byte[]>> exportGroups(Set<Integer> groups) {
        List<Map.Entry<byte[], byte[]>> out = new ArrayList<>();
        for (int g : new TreeSet<>(groups)) {
            scan(StateKeys.groupPrefix(g), (k, v) -> out.add(new AbstractMap.SimpleImmutableEntry<>(k, v)));
        }
        return out;
    }

    @Override
    public void importEntries(List<Map.Entry<byte[], byte[]>> entries) {
        for (Map.Entry<byte[], byte[]> e : entries) put(e.getKey(), e.getValue());
    }

    @Override
    public void dropGroups(Set<Integer> groups) {
        try {
            for (int g : groups) db.deleteRange(writes, StateKeys.groupPrefix(g), StateKeys.groupPrefix(g + 1));
        } catch (RocksDBException e) {
            throw failed("delete of key groups", e);
        }
    }

    @Override
    public List<String> snapshot(SnapshotFiles files, String prefix, long checkpointId) {
        Path cp = dir.resolve("checkpoint-" + checkpointId);
        deleteTree(cp);
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true);
                Checkpoint checkpoint = Checkpoint.create(db)) {
            db.flush(flush);
            checkpoint.createCheckpoint(cp.toString());
            List<String> names = new ArrayList<>();
            try (Stream<Path> list = Files.list(cp)) {
                for (Path f : list.sorted().toList()) {
                    String file = f.getFileName().toString();
                    // SST files are immutable and uniquely numbered in a database: one copy serves every snapshot
                    String name =
                            file.endsWith(".sst") ? prefix + "shared/" + file : prefix + checkpointId + "/" + file;
                    if (!file.endsWith(".sst") || !files.exists(name)) files.copyFrom(name, f);
                    names.add(name);
                }
            }
            return names;
        } catch (RocksDBException e) {
            throw failed("checkpoint", e);
        } catch (IOException e) {
            throw new StateStoreException("RocksDB state: cannot list checkpoint " + cp + ": " + e.getMessage(), e);
        } finally {
            deleteTree(cp);
        }
    }

    @Override
    public void snapshotDiscarded() {
        // every snapshot lists all its files: nothing builds on the discarded one
    }

    @Override
    public void restore(SnapshotFiles files, List<String> names) {
        db.close();
        deleteTree(dbDir);
        try {
            Files.createDirectories(dbDir);
            for (String n : names) files.copyTo(n, dbDir.resolve(n.substring(n.lastIndexOf('/') + 1)));
        } catch (IOException e) {
            throw new StateStoreException("cannot restore RocksDB state into " + dbDir + ": " + e.getMessage(), e);
        }
        open();
    }

    @Override
    public void close() {
        if (db != null) db.close();
        db = null;
        writes.close();
        options.close();
        deleteTree(dir);
    }

    private static void deleteTree(Path p) {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new StateStoreException("cannot delete " + p + ": " + e.getMessage(), e);
        }
    }
}
