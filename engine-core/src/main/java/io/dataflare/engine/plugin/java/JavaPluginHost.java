package io.dataflare.engine.plugin.java;

import io.dataflare.api.PluginFactory;
import io.dataflare.engine.plugin.Checksums;
import io.dataflare.engine.plugin.HostContext;
import io.dataflare.engine.plugin.LoadedPlugin;
import io.dataflare.engine.plugin.PluginHost;
import io.dataflare.engine.plugin.PluginLoadException;
import io.dataflare.engine.plugin.PluginManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipFile;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/**
 * Loads Java plugins: PF4J plugin JARs whose {@code @Extension} classes implement
 * {@link PluginFactory}. Each JAR gets its own PF4J manager and class loader (see
 * {@link IsolatingPluginManager}); closing the {@link LoadedPlugin} stops and unloads it.
 */
public final class JavaPluginHost implements PluginHost {
    @Override
    public String language() {
        return "java";
    }

    @Override
    public boolean handles(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar");
    }

    @Override
    public LoadedPlugin load(Path file, HostContext context) throws PluginLoadException {
        checkReadableJar(file);
        Path jar = file.toAbsolutePath().normalize();
        IsolatingPluginManager manager = new IsolatingPluginManager(jar.getParent());
        String id = null;
        try {
            id = manager.loadPlugin(jar);
            if (id == null) throw new PluginLoadException("PF4J did not load it (see the log)");
            PluginState state = manager.startPlugin(id);
            PluginWrapper wrapper = manager.getPlugin(id);
            if (state != PluginState.STARTED) {
                Throwable why = wrapper.getFailedException();
                throw new PluginLoadException("plugin did not start (" + state + ")"
                        + (why == null ? "" : ": " + why.getMessage()), why);
            }
            @SuppressWarnings("rawtypes")
            List<PluginFactory> found = manager.getExtensions(PluginFactory.class, id);
            List<PluginFactory<?>> factories = new ArrayList<>();
            for (PluginFactory<?> f : found) factories.add(f);
            if (factories.isEmpty()) {
                throw new PluginLoadException("it declares no DataFlare components: annotate the factory classes"
                        + " (implementing SourceFactory, ProcessorFactory...) with @Extension and compile with -proc:full");
            }
            checkNames(factories);
            PluginManifest manifest = manifest(wrapper.getDescriptor(), factories, Checksums.sha256(jar));
            String pluginId = id;
            return new LoadedPlugin(manifest, jar, factories, () -> unload(manager, pluginId));
        } catch (PluginLoadException e) {
            unload(manager, id);
            throw e;
        } catch (IOException | RuntimeException | LinkageError e) {
            unload(manager, id);
            throw new PluginLoadException(describe(e), e);
        }
    }

    private static void checkReadableJar(Path file) throws PluginLoadException {
        if (!Files.isRegularFile(file)) throw new PluginLoadException("not a file");
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.getEntry("META-INF/MANIFEST.MF") == null && zip.getEntry("plugin.properties") == null) {
                throw new PluginLoadException("not a PF4J plugin: no META-INF/MANIFEST.MF or plugin.properties");
            }
        } catch (IOException e) {
            throw new PluginLoadException("not a readable JAR (" + e.getMessage() + ")", e);
        }
    }

    private static void checkNames(List<PluginFactory<?>> factories) throws PluginLoadException {
        Set<String> seen = new HashSet<>();
        for (PluginFactory<?> f : factories) {
            String name = f.name();
            if (name == null || !name.matches("[a-z0-9][a-z0-9_.-]*")) {
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
        return PluginManifest.builder(d.getPluginId(), d.getVersion(), "java")
                .kinds(List.copyOf(kinds))
                .requires(d.getRequires())
                .dependencies(d.getDependencies())
                .description(d.getPluginDescription())
                .provider(d.getProvider())
                .license(d.getLicense())
                .checksum(checksum)
                .build();
    }

    private static void unload(IsolatingPluginManager manager, String id) {
        if (id == null || manager.getPlugin(id) == null) return;
        try {
            manager.stopPlugin(id);
        } finally {
            manager.unloadPlugin(id);
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        if (e instanceof LinkageError) return "a class failed to load: " + e;
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
