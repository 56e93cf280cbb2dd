package io.dataflare.engine.state.keyed;

import io.dataflare.engine.state.EncryptionKeys;
import io.dataflare.engine.state.FileStateStore;
import io.dataflare.engine.state.StateCipher;
import io.dataflare.engine.state.StateEncryption;
import io.dataflare.engine.state.StateStore;
import io.dataflare.engine.state.StateStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Encryption at rest of keyed-state snapshot files kept beside a file store. */
public final class SnapshotEncryption {
    /** Under a file store's directory: the keyed-state snapshot files, a folder per pipeline. */
    public static final String SNAPSHOT_DIR = "keyed-state";

    private SnapshotEncryption() {}

    /** {@code files} encrypting with {@code store}'s keys when it encrypts, else as they are. */
    public static SnapshotFiles protect(SnapshotFiles files, StateStore store) {
        StateCipher cipher = StateEncryption.cipherOf(store);
        return cipher == null ? files : new EncryptingSnapshotFiles(files, cipher);
    }

    /**
     * Re-encrypts the snapshot files beside {@code raw} (a file store; other stores keep them as values) with the
     * newest of {@code keys}, files in clear included; returns how many it rewrote.
     */
    public static int rekey(StateStore raw, EncryptionKeys keys) {
        if (!(raw instanceof FileStateStore f)) return 0;
        Path root = f.directory().resolve(SNAPSHOT_DIR);
        if (!Files.isDirectory(root)) return 0;
        StateCipher cipher = new StateCipher(keys);
        List<Path> dirs;
        try (Stream<Path> s = Files.list(root)) {
            dirs = s.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            throw new StateStoreException("cannot list " + root + ": " + e.getMessage(), e);
        }
        int n = 0;
        for (Path d : dirs) {
            DirectorySnapshotFiles plain = new DirectorySnapshotFiles(d);
            EncryptingSnapshotFiles enc = new EncryptingSnapshotFiles(plain, cipher);
            for (String name : plain.list()) {
                byte[] bytes = plain.read(name);
                if (cipher.isCurrent(bytes)) continue;
                enc.write(name, StateCipher.isEncrypted(bytes) ? enc.read(name) : bytes);
                n++;
            }
        }
        return n;
    }
}
