package io.dataflare.engine.state.keyed;

import io.dataflare.engine.state.StateCipher;
import io.dataflare.engine.state.StateStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Keyed-state snapshot files encrypted at rest (AES-256-GCM, each file bound to its name). A file the backend
 * hands over ({@link #copyFrom}) is read and written encrypted instead of linked; {@link #copyTo} decrypts.
 * Sizes are those of the stored (encrypted) files.
 */
public final class EncryptingSnapshotFiles implements SnapshotFiles {
    private final SnapshotFiles inner;
    private final StateCipher cipher;

    public EncryptingSnapshotFiles(SnapshotFiles inner, StateCipher cipher) {
        this.inner = inner;
        this.cipher = cipher;
    }

    private static String place(String name) {
        return "file:" + name;
    }

    @Override
    public void write(String name, byte[] bytes) {
        inner.write(name, cipher.encrypt(bytes, place(name)));
    }

    @Override
    public void copyFrom(String name, Path from) {
        try {
            write(name, Files.readAllBytes(from));
        } catch (IOException e) {
            throw new StateStoreException(
                    "cannot read " + from + " for state snapshot " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] read(String name) {
        return cipher.decrypt(inner.read(name), place(name), "state snapshot file " + name + " in " + inner.describe());
    }

    @Override
    public void copyTo(String name, Path to) {
        try {
            Files.write(to, read(name));
        } catch (IOException e) {
            throw new StateStoreException(
                    "cannot write " + to + " from state snapshot " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long size(String name) {
        return inner.size(name);
    }

    @Override
    public boolean exists(String name) {
        return inner.exists(name);
    }

    @Override
    public void delete(String name) {
        inner.delete(name);
    }

    @Override
    public Set<String> list() {
        return inner.list();
    }

    @Override
    public String describe() {
        return inner.describe() + " (encrypted)";
    }
}
