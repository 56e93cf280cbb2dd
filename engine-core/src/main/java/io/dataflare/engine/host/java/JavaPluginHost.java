package io.dataflare.engine.host.java;

import com.github.zafarkhaja.semver.Version;
import io.dataflare.api.PluginFactory;
import io.dataflare.engine.host.Checksums;
import io.dataflare.engine.host.HostContext;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.host.PluginHost;
import io.dataflare.engine.host.PluginLoadException;
import io.dataflare.engine.host.PluginManifest;
import io.dataflare.engine.version.VersionRange;
import java.io.IOException;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipFile;
import org.pf4j.PluginDependency;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/**
 * Loads Java plugins: PF4J plugin JARs whose {@code @Extension} classes implement
 * {@link PluginFactory}. Each plugin gets its own PF4J manager holding it and its resolved dependencies
 * (see {@link IsolatingPluginManager}); closing the {@link LoadedPlugin} stops and unloads them all.
 */
public final class JavaPluginHost implements PluginHost {
    static {
        // jar: URL connections share cached JarFiles JVM-wide by default; a plugin reading a resource through
        // one would keep its JAR open (and its old content readable) after the plugin is unloaded (pf4j#334).
        URLConnection.setDefaultUseCaches("jar", false);
    }

    private static final String NAME = "[a-z0-9][a-z0-9_.-]*";

    @Override
    public String language() {
        return "java";
    }

    @Override
    public boolean handles(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar");
    }

    /** Reads and checks the JAR's PF4J manifest ({@code META-INF/MANIFEST.MF} or {@code plugin.properties}) only. */
    @Override
    public PluginManifest describe(Path file, HostContext context) throws PluginLoadException {
        ZipFile open = openReadableJar(file);
        try {
            return manifest(descriptor(file), List.of(), null);
        } finally {
            closeQuietly(open);
        }
    }

    @Override
    public LoadedPlugin load(Path file, HostContext context) throws PluginLoadException {
        ZipFile open = openReadableJar(file);
        try {
            return loadOpen(file, context);
        } finally {
            closeQuietly(open);
        }
    }

    private LoadedPlugin loadOpen(Path file, HostContext context) throws PluginLoadException {
        Path jar = file.toAbsolutePath().normalize();
        PluginDescriptor declared = descriptor(jar);
        IsolatingPluginManager manager = new IsolatingPluginManager(jar.getParent());
        try {
            List<Path> jars = new ArrayList<>();
            for (HostContext.Dependency d : context.dependencies())
                jars.add(d.file().toAbsolutePath().normalize());
            jars.add(jar);
            String id = manager.loadTogether(jars);
            PluginState state = manager.startPlugin(id);
            PluginWrapper wrapper = manager.getPlugin(id);
            if (state != PluginState.STARTED) {
                Throwable why = wrapper.getFailedException();
                throw new PluginLoadException(
                        "plugin did not start (" + state + ")" + (why == null ? "" : ": " + why.getMessage()), why);
            }
            @SuppressWarnings("rawtypes")
            List<PluginFactory> found = manager.getExtensions(PluginFactory.class, id);
            List<PluginFactory<?>> factories = new ArrayList<>();
            for (PluginFactory<?> f : found) factories.add(f);
            // PF4J finds extensions in hash order: sort them so listings and messages are stable
            factories.sort(java.util.Comparator.comparing((PluginFactory<?> f) -> f.kind())
                    .thenComparing(f -> String.valueOf(f.name())));
            // no components: a library other plugins depend on (the registry notes it in case it is a mistake)
            checkNames(factories);
            PluginManifest manifest = manifest(declared, factories, Checksums.sha256(jar));
            return new LoadedPlugin(manifest, jar, factories, manager::unloadAll);
        } catch (PluginLoadException e) {
            manager.unloadAll();
            throw e;
        } catch (IOException | RuntimeException | LinkageError e) {
            manager.unloadAll();
            throw new PluginLoadException(describe(e), e);
        }
    }

    private static PluginDescriptor descriptor(Path jar) throws PluginLoadException {
        PluginDescriptorFinder finder = JarDescriptorFinder.create();
        PluginDescriptor d;
        try {
            d = finder.find(jar);
        } catch (RuntimeException e) {
            throw new PluginLoadException("bad manifest: " + describe(e), e);
        }
        String id = d.getPluginId();
        if (id == null || id.isBlank()) {
            throw new PluginLoadException("bad manifest: no Plugin-Id (in META-INF/MANIFEST.MF or plugin.properties)");
        }
        if (!id.matches(NAME)) {
            throw new PluginLoadException(
                    "bad manifest: Plugin-Id '" + id + "' must be lower-case letters, digits, '-', '_', '.'");
        }
        String version = d.getVersion();
        if (version == null || Version.tryParse(version.trim()).isEmpty()) {
            throw new PluginLoadException("bad manifest: Plugin-Version "
                    + (version == null ? "is missing" : "'" + version + "' is not semver (e.g. 1.2.0)"));
        }
        checkRange("Plugin-Requires", d.getRequires());
        for (PluginDependency dep : d.getDependencies()) {
            if (!dep.getPluginId().matches(NAME)) {
                throw new PluginLoadException("bad manifest: Plugin-Dependencies names '" + dep.getPluginId()
                        + "', which is not a plugin id");
            }
            checkRange("Plugin-Dependencies (" + dep.getPluginId() + ")", dep.getPluginVersionSupport());
        }
        return d;
    }

    private static void checkRange(String field, String range) throws PluginLoadException {
        try {
            VersionRange.parse(range);
        } catch (IllegalArgumentException e) {
            throw new PluginLoadException("bad manifest: " + field + ": " + e.getMessage());
        }
    }

    /**
     * The JAR, open, once checked to be a plugin. The caller keeps it open while PF4J reads the descriptor and
     * loads classes: every {@link ZipFile} of the same file opened meanwhile (PF4J's descriptor finders, the
     * plugin's class loader) shares its central directory instead of reading it again, which for a plugin of
     * thousands of classes was most of what describing and loading it cost.
     */
    private static ZipFile openReadableJar(Path file) throws PluginLoadException {
        if (!Files.isRegularFile(file)) throw new PluginLoadException("not a file");
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (IOException e) {
            throw new PluginLoadException("not a readable JAR (" + e.getMessage() + ")", e);
        }
        if (zip.getEntry("META-INF/MANIFEST.MF") == null && zip.getEntry("plugin.properties") == null) {
            closeQuietly(zip);
            throw new PluginLoadException("not a PF4J plugin: no META-INF/MANIFEST.MF or plugin.properties");
        }
        return zip;
    }

    private static void closeQuietly(ZipFile zip) {
        try {
            zip.close();
        } catch (IOException ignored) {
            // opened for reading only: nothing was lost
        }
    }

    private static void checkNames(List<PluginFactory<?>> factories) throws PluginLoadException {
        Set<String> seen = new HashSet<>();
        for (PluginFactory<?> f : factories) {
            String name = f.name();
            if (name == null || !name.matches(NAME)) {
                throw new PluginLoadException(f.getClass().getName() + " has an invalid name '" + name
                        + "' (use lower-case letters, digits, '-', '_' and '.')");
            }
            if (!seen.add(f.kind() + "/" + name)) {
                throw new PluginLoadException("two " + f.kind().label() + " components are named '" + name + "'");
            }
        }
    }

    private static PluginManifest manifest(PluginDescriptor d, List<PluginFactory<?>> factories, String checksum) {
        Set<String> kinds = new LinkedHashSet<>();
        for (PluginFactory<?> f : factories) kinds.add(f.kind().manifestKind());
        return PluginManifest.builder(d.getPluginId(), d.getVersion().trim(), "java")
                .kinds(List.copyOf(kinds))
                .requires(d.getRequires())
                .dependencies(d.getDependencies())
                .description(d.getPluginDescription())
                .provider(d.getProvider())
                .license(d.getLicense())
                .checksum(checksum)
                .build();
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        if (e instanceof LinkageError) return "a class failed to load: " + e;
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
