package io.dataflare.engine.plugin.sign;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publishers whose plugins are trusted: folders of Ed25519 public keys, one PEM file per publisher named
 * {@code NAME.pub} (the name is how {@code plugins verify} reports the signer). The folders are read on every
 * lookup, so a key added or removed counts at the next plugin load without a restart. A key file that cannot
 * be read is reported (logged, and named when a signature's key is not found), never silently trusted.
 */
public final class TrustStore {
    private static final Logger LOG = LoggerFactory.getLogger(TrustStore.class);

    /** A trusted key. */
    public record Key(String name, String id, PublicKey publicKey, Path file) {}

    private final List<Path> dirs;

    public TrustStore(List<Path> dirs) {
        this.dirs = dirs.stream()
                .map(d -> d.toAbsolutePath().normalize())
                .distinct()
                .toList();
    }

    /** The folders, in order. */
    public List<Path> directories() {
        return dirs;
    }

    /** The trusted keys now (the first of a duplicate id wins). */
    public List<Key> keys() {
        List<Key> out = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) continue;
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(p -> p.getFileName().toString().endsWith(".pub"))
                        .sorted()
                        .toList();
            } catch (IOException e) {
                LOG.warn("cannot list the trusted keys folder {}: {}", dir, e.getMessage());
                continue;
            }
            for (Path f : files) {
                try {
                    PublicKey k = KeyFiles.readPublic(f);
                    String id = KeyFiles.keyId(k);
                    String name = f.getFileName().toString().replaceFirst("\\.pub$", "");
                    if (out.stream().noneMatch(x -> x.id().equals(id))) out.add(new Key(name, id, k, f));
                } catch (IOException e) {
                    LOG.warn("trusted key {} is not used: {}", f, e.getMessage());
                }
            }
        }
        return out;
    }

    /** The trusted key with id {@code keyId}, or null. */
    public Key find(String keyId) {
        return keys().stream().filter(k -> k.id().equals(keyId)).findFirst().orElse(null);
    }

    /** The folders, for messages. */
    public String describe() {
        if (dirs.isEmpty()) return "no trusted keys folder configured";
        return dirs.stream()
                .map(d -> d + (Files.isDirectory(d) ? "" : " (missing)"))
                .collect(Collectors.joining(", "));
    }
}
