package io.dataflare.wasm.module;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiled bytecode on disk, keyed by module hash and Chicory version. Loaded bytecode runs with the
 * host's full rights, so an entry is used only when it passes its checks: the folder is not writable
 * by others, and the entry names this module and this Chicory version and ends with the SHA-256 of
 * its contents (a torn or edited file is ignored and rewritten). The JVM verifier still checks every
 * class as it is defined.
 */
public final class DiskCache {
    private static final Logger LOG = LoggerFactory.getLogger(DiskCache.class);
    private static final int MAGIC = 0x44465743; // "DFWC"

    /** What one entry holds. */
    public record Entry(String mainClass, Map<String, byte[]> classes, Set<Integer> interpreted) {}

    private final Path dir;
    private final String runtimeVersion;

    private DiskCache(Path dir, String runtimeVersion) {
        this.dir = dir;
        this.runtimeVersion = runtimeVersion;
    }

    /** A cache in {@code dir} (created owner-only), or null when the folder is unsafe or unusable. */
    public static DiskCache open(Path dir, String runtimeVersion) {
        try {
            Files.createDirectories(dir);
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
                if (perms.contains(PosixFilePermission.GROUP_WRITE)
                        || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                    LOG.warn("WASM compile cache {} is writable by others: not used", dir);
                    return null;
                }
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: nothing more to check
            }
            return new DiskCache(dir, runtimeVersion);
        } catch (IOException e) {
            LOG.warn("WASM compile cache {} is not usable: {}", dir, e.toString());
            return null;
        }
    }

    private Path file(String moduleHash) {
        return dir.resolve(moduleHash + ".dfwc");
    }

    /** The entry for a module, or null when absent or failing its checks. */
    public Entry get(String moduleHash) {
        Path f = file(moduleHash);
        if (!Files.isRegularFile(f)) return null;
        try {
            byte[] all = Files.readAllBytes(f);
            if (all.length < 32) throw new IOException("truncated");
            byte[] body = Arrays.copyOf(all, all.length - 32);
            if (!Arrays.equals(sha256(body), Arrays.copyOfRange(all, all.length - 32, all.length)))
                throw new IOException("checksum mismatch");
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
            if (in.readInt() != MAGIC
                    || !in.readUTF().equals(runtimeVersion)
                    || !in.readUTF().equals(moduleHash)) {
                throw new IOException("written for another module or Chicory version");
            }
            Set<Integer> interpreted = new LinkedHashSet<>();
            for (int i = in.readInt(); i > 0; i--) interpreted.add(in.readInt());
            String main = in.readUTF();
            Map<String, byte[]> classes = new LinkedHashMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                String name = in.readUTF();
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                classes.put(name, b);
            }
            return new Entry(main, classes, interpreted);
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring WASM compile cache entry {}: {}", f, e.getMessage());
            return null;
        }
    }

    /** Stores an entry (atomically: readers never see half a file). */
    public void put(String moduleHash, Entry entry) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeUTF(runtimeVersion);
            out.writeUTF(moduleHash);
            out.writeInt(entry.interpreted().size());
            for (int i : entry.interpreted()) out.writeInt(i);
            out.writeUTF(entry.mainClass());
            out.writeInt(entry.classes().size());
            for (Map.Entry<String, byte[]> c : entry.classes().entrySet()) {
                out.writeUTF(c.getKey());
                out.writeInt(c.getValue().length);
                out.write(c.getValue());
            }
            out.write(sha256(bytes.toByteArray()));
            Path tmp = Files.createTempFile(dir, moduleHash, ".tmp");
            Files.write(tmp, bytes.toByteArray());
            try {
                Files.move(tmp, file(moduleHash), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file(moduleHash), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.warn("could not write WASM compile cache entry for {}: {}", moduleHash, e.toString());
        }
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
