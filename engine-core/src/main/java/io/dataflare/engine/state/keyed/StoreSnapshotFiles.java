package io.dataflare.engine.state.keyed;

import io.dataflare.engine.state.StateStore;
import io.dataflare.engine.state.StateStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Set;
import java.util.TreeSet;

/**
 * Snapshot files kept as Base64 text in a {@link StateStore} namespace, for the stores without a directory
 * (memory, JDBC): the snapshot then lives in the same database as the checkpoint that names it.
 */
public final class StoreSnapshotFiles implements SnapshotFiles {
    private final StateStore store;
    private final String namespace;
    private final String owner;

    /** The files of {@code owner} (a checkpoint key) in {@code namespace}. */
    public StoreSnapshotFiles(StateStore store, String namespace, String owner) {
        this.store = store;
        this.namespace = namespace;
        this.owner = owner + "~";
    }

    private String key(String name) {
        // state store keys are plain names: encode the slashes of nested names
        return owner + name.replace("/", "~");
    }

    @Override
    public void write(String name, byte[] bytes) {
        store.put(namespace, key(name), Base64.getEncoder().encodeToString(bytes));
    }

    @Override
    public void copyFrom(String name, Path from) {
        try {
            write(name, Files.readAllBytes(from));
        } catch (IOException e) {
            throw new StateStoreException("cannot read " + from + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] read(String name) {
        return Base64.getDecoder()
                .decode(store.get(namespace, key(name))
                        .orElseThrow(() ->
                                new StateStoreException("state snapshot " + name + " is missing from " + describe())));
    }

    @Override
    public void copyTo(String name, Path to) {
        try {
            Files.write(to, read(name));
        } catch (IOException e) {
            throw new StateStoreException("cannot write " + to + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long size(String name) {
        return read(name).length;
    }

    @Override
    public boolean exists(String name) {
        return store.get(namespace, key(name)).isPresent();
    }

    @Override
    public void delete(String name) {
        store.delete(namespace, key(name));
    }

    @Override
    public Set<String> list() {
        Set<String> out = new TreeSet<>();
        for (String k : store.list(namespace).keySet()) {
            if (k.startsWith(owner)) out.add(k.substring(owner.length()).replace("~", "/"));
        }
        return out;
    }

    @Override
    public String describe() {
        return store.describe() + " namespace " + namespace + " (" + owner + ")";
    }
}
