package io.dataflare.engine.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * State in a directory: one file per key ({@code <dir>/<namespace>/<key>.v}). A put writes the new value
 * to a temporary file, forces it to disk, atomically renames it over the old one and forces the
 * directory: after a crash at any point a key holds its old or its new value, and a leftover temporary
 * file is ignored (and cleaned up on the next put of that key).
 */
public final class FileStateStore implements StateStore {
    private static final String SUFFIX = ".v";

    private final Path dir;

    /** A store in {@code dir} (created if missing). */
    public FileStateStore(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.dir);
        } catch (IOException e) {
            throw new StateStoreException("cannot create state directory " + this.dir + ": " + e.getMessage(), e);
        }
    }

    /** The directory. */
    public Path directory() {
        return dir;
    }

    @Override
    public Optional<String> get(String namespace, String key) {
        Keys.check(namespace, key);
        Path f = file(namespace, key);
        try {
            return Optional.of(Files.readString(f, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StateStoreException("cannot read state " + f + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void put(String namespace, String key, String value) {
        Keys.check(namespace, key);
        Path ns = dir.resolve(namespace);
        Path target = file(namespace, key);
        Path tmp = ns.resolve(target.getFileName() + ".tmp-" + UUID.randomUUID());
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        try {
            Files.createDirectories(ns);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                FaultInjection.beforeStateWrite(namespace, ch, bytes);
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new StateStoreException(
                        "the file system of " + dir + " cannot rename atomically; use another state directory");
            }
            forceDirectory(ns);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the temporary file is ignored by readers anyway
            }
            throw new StateStoreException("cannot write state " + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean delete(String namespace, String key) {
        Keys.check(namespace, key);
        try {
            boolean existed = Files.deleteIfExists(file(namespace, key));
            if (existed) forceDirectory(dir.resolve(namespace));
            return existed;
        } catch (IOException e) {
            throw new StateStoreException("cannot delete state " + file(namespace, key) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, String> list(String namespace) {
        Keys.checkNamespace(namespace);
        Map<String, String> out = new TreeMap<>();
        Path ns = dir.resolve(namespace);
        if (!Files.isDirectory(ns)) return out;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(ns, "*" + SUFFIX)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String key = decode(name.substring(0, name.length() - SUFFIX.length()));
                get(namespace, key).ifPresent(v -> out.put(key, v));
            }
        } catch (IOException e) {
            throw new StateStoreException("cannot list state " + ns + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** An OS lock on {@code <dir>/locks/<name>.lock}. */
    @Override
    public StateLock lock(String name, String owner) {
        Keys.check("locks", name);
        return FileLocks.acquire(dir.resolve("locks").resolve(encode(name) + ".lock"), name, owner, describe());
    }

    @Override
    public String describe() {
        return "file:" + dir;
    }

    private Path file(String namespace, String key) {
        return dir.resolve(namespace).resolve(encode(key) + SUFFIX);
    }

    /** Keys become safe file names: letters, digits, '-' and '_' as is, anything else as %XX (UTF-8). */
    static String encode(String key) {
        StringBuilder sb = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')
                sb.append(c);
            else sb.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
        }
        return sb.toString();
    }

    static String decode(String name) {
        byte[] out = new byte[name.length()];
        int n = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '%' && i + 2 < name.length()) {
                out[n++] = (byte) HexFormat.fromHexDigits(name, i + 1, i + 3);
                i += 2;
            } else {
                out[n++] = (byte) c;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    private static void forceDirectory(Path d) {
        // Makes the rename itself durable; not every platform can open a directory (then the OS decides).
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort
        }
    }
}
