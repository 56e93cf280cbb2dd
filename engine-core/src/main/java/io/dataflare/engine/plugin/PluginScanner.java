package io.dataflare.engine.plugin;

import io.dataflare.engine.host.HostContext;
import io.dataflare.engine.host.PluginHost;
import io.dataflare.engine.host.PluginLoadException;
import io.dataflare.engine.plugin.sign.PluginTrust;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin folders as plugin files: lists them in scan order (folder by folder, names sorted), picks the
 * host that handles each, and reads what a file declares (its {@code .sha256} sidecar and, when required, its
 * signature checked first) only
 * when the file or one of its sidecars changed since the last scan. A missing folder has no plugins; a folder
 * that exists but cannot be listed (out of file descriptors, an I/O error) keeps the files known in it, so that
 * a passing failure does not look like every plugin in it was deleted.
 */
final class PluginScanner {
    private static final Logger LOG = LoggerFactory.getLogger(PluginScanner.class);

    private final List<Path> dirs;
    private final List<PluginHost> hosts;
    private final String engineVersion;
    private final PluginTrust trust;
    private final FolderLister lister;

    /** Lists a folder's entries (a seam: listing failures cannot be provoked otherwise where tests run as root). */
    @FunctionalInterface
    interface FolderLister {
        Stream<Path> list(Path dir) throws IOException;
    }

    PluginScanner(List<Path> dirs, List<PluginHost> hosts, String engineVersion, PluginTrust trust) {
        this(dirs, hosts, engineVersion, trust, Files::list);
    }

    PluginScanner(
            List<Path> dirs, List<PluginHost> hosts, String engineVersion, PluginTrust trust, FolderLister lister) {
        this.dirs = List.copyOf(dirs);
        this.hosts = List.copyOf(hosts);
        this.engineVersion = engineVersion;
        this.trust = trust;
        this.lister = lister;
    }

    /** Whether plugin files must be signed, and by whom. */
    PluginTrust trust() {
        return trust;
    }

    /**
     * Checks what must hold before a host reads {@code file} (its manifest may be computed by running it): its
     * {@code .sha256} sidecar, and its signature when signatures are required.
     */
    void admit(Path file) throws PluginLoadException {
        ChecksumSidecar.verify(file);
        trust.enforce(file);
    }

    List<Path> directories() {
        return dirs;
    }

    List<PluginHost> hosts() {
        return hosts;
    }

    /** The host that handles {@code file}, or null. */
    PluginHost hostFor(Path file) {
        for (PluginHost h : hosts) {
            if (h.handles(file)) return h;
        }
        return null;
    }

    /**
     * The plugin files in the folders now, in scan order: the records in {@code known} for files seen before
     * (described again if they changed), new records for the others.
     */
    List<PluginFile> scan(Map<Path, PluginFile> known) {
        List<PluginFile> out = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) continue;
            List<Path> all;
            try (Stream<Path> s = lister.list(dir)) {
                all = s.filter(Files::isRegularFile)
                        .map(p -> p.toAbsolutePath().normalize())
                        .sorted()
                        .collect(Collectors.toList());
            } catch (IOException | UncheckedIOException e) {
                Path folder = dir.toAbsolutePath().normalize();
                List<PluginFile> kept = known.values().stream()
                        .filter(pf -> folder.equals(pf.file.getParent()))
                        .sorted(Comparator.comparing(pf -> pf.file))
                        .toList();
                LOG.warn(
                        "cannot list plugin folder {} ({}): its {} known plugin file(s) stay as they were",
                        dir,
                        e.getMessage(),
                        kept.size());
                out.addAll(kept);
                continue;
            }
            for (Path f : all) {
                PluginHost host = hostFor(f);
                if (host == null) continue;
                String prefix = f.getFileName() + ".";
                List<Path> sidecars = all.stream()
                        .filter(s -> s.getFileName().toString().startsWith(prefix))
                        .toList();
                String fp = PluginFile.fingerprint(f, sidecars);
                PluginFile pf = known.getOrDefault(f, new PluginFile(f, host));
                if (!fp.equals(pf.fingerprint)) {
                    pf.fingerprint = fp;
                    describe(pf);
                }
                out.add(pf);
            }
        }
        return out;
    }

    private void describe(PluginFile pf) {
        pf.declared = null;
        pf.failure = null;
        try {
            admit(pf.file);
            pf.declared = pf.host.describe(pf.file, new HostContext(engineVersion));
        } catch (PluginLoadException e) {
            pf.failure = e.getMessage();
        } catch (RuntimeException e) {
            pf.failure = "could not be read: " + e;
        }
    }
}
