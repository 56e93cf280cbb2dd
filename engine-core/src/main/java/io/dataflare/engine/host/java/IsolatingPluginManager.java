package io.dataflare.engine.host.java;

import io.dataflare.engine.version.NpmVersionManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pf4j.DefaultPluginManager;
import org.pf4j.ExtensionFinder;
import org.pf4j.IndexedExtensionFinder;
import org.pf4j.JarPluginLoader;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PluginLoader;
import org.pf4j.PluginManager;
import org.pf4j.PluginWrapper;
import org.pf4j.VersionManager;

/**
 * A PF4J plugin manager holding one plugin JAR and the dependencies the registry resolved for it (one
 * version per id). PF4J keys plugins by id, so a manager per resolved set is what lets two versions of
 * one plugin load side by side, each in its own class loader; within the set PF4J's class loaders
 * delegate to the dependencies' class loaders by id, so a plugin sees the classes of the exact
 * dependency versions it was resolved with.
 *
 * <p>The class loader is plugin-first (PF4J's default) except for the plugin API and SLF4J, which
 * always come from the engine: a plugin that bundles its own copy of {@code plugin-api} by mistake still
 * shares the engine's {@code Record} class instead of failing with a {@link ClassCastException}.
 */
final class IsolatingPluginManager extends DefaultPluginManager {
    IsolatingPluginManager(Path root) {
        super(root);
        // The registry checks `requires` itself, uniformly for every language; 0.0.0 turns PF4J's check off.
        setSystemVersion("0.0.0");
    }

    @Override
    protected VersionManager createVersionManager() {
        return new NpmVersionManager();
    }

    /** Loads the JARs (dependencies first, the plugin last) and resolves them as one set; returns the last one's id. */
    String loadTogether(List<Path> jars) {
        String id = null;
        for (Path jar : jars) id = loadPluginFromPath(jar).getPluginId();
        resolvePlugins();
        return id;
    }

    /**
     * Stops and unloads every plugin (closing their class loaders). Stops from copies of PF4J's lists:
     * {@code stopPlugins()} itself throws ConcurrentModificationException in 3.15.0 (pf4j#656).
     */
    void unloadAll() {
        List<PluginWrapper> started = new ArrayList<>(getStartedPlugins());
        Collections.reverse(started);
        for (PluginWrapper w : started) {
            if (getPlugin(w.getPluginId()) != null) stopPlugin(w.getPluginId());
        }
        for (PluginWrapper w : new ArrayList<>(getPlugins())) {
            if (getPlugin(w.getPluginId()) != null) unloadPlugin(w.getPluginId());
        }
        pluginStateListeners.clear();
    }

    /**
     * Extensions of the plugins only. PF4J's finder also reads the extension index of every JAR of the engine's
     * class path ({@code META-INF/extensions.idx}; the engine's own are empty), although the host asks only for
     * a plugin's extensions: opening the distribution's 150 or so JARs for it cost 70 ms of each command that
     * loads plugins.
     */
    @Override
    protected ExtensionFinder createExtensionFinder() {
        IndexedExtensionFinder finder = new IndexedExtensionFinder(this) {
            @Override
            public Map<String, Set<String>> readClasspathStorages() {
                return Map.of();
            }
        };
        addPluginStateListener(finder);
        return finder;
    }

    @Override
    protected PluginDescriptorFinder createPluginDescriptorFinder() {
        return JarDescriptorFinder.create();
    }

    @Override
    protected PluginLoader createPluginLoader() {
        return new JarPluginLoader(this) {
            @Override
            protected PluginClassLoader createPluginClassLoader(Path pluginPath, PluginDescriptor descriptor) {
                return new EngineSharingClassLoader(
                        pluginManager, descriptor, IsolatingPluginManager.class.getClassLoader());
            }
        };
    }

    private static final class EngineSharingClassLoader extends PluginClassLoader {
        EngineSharingClassLoader(PluginManager manager, PluginDescriptor descriptor, ClassLoader parent) {
            super(manager, descriptor, parent);
        }

        @Override
        protected boolean shouldDelegateToParent(String className) {
            return className.startsWith("io.dataflare.api.")
                    || className.startsWith("org.slf4j.")
                    || super.shouldDelegateToParent(className);
        }
    }
}
