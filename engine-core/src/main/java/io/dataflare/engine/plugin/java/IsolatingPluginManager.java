package io.dataflare.engine.plugin.java;

import java.nio.file.Path;
import org.pf4j.DefaultPluginManager;
import org.pf4j.JarPluginLoader;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.PluginManager;

/**
 * A PF4J plugin manager holding exactly one plugin JAR. PF4J keys plugins by id, so one manager per
 * file is what lets two versions of one plugin load side by side, each in its own class loader.
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
    protected PluginLoader createPluginLoader() {
        return new JarPluginLoader(this) {
            @Override
            protected PluginClassLoader createPluginClassLoader(Path pluginPath, PluginDescriptor descriptor) {
                return new EngineSharingClassLoader(pluginManager, descriptor, IsolatingPluginManager.class.getClassLoader());
            }
        };
    }

    private static final class EngineSharingClassLoader extends PluginClassLoader {
        EngineSharingClassLoader(PluginManager manager, PluginDescriptor descriptor, ClassLoader parent) {
            super(manager, descriptor, parent);
        }

        @Override
        protected boolean shouldDelegateToParent(String className) {
            return className.startsWith("io.dataflare.api.") || className.startsWith("org.slf4j.")
                    || super.shouldDelegateToParent(className);
        }
    }
}
