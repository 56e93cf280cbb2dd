package io.dataflare.engine.plugin;

import io.dataflare.engine.host.PluginHost;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin hosts on the class path: the ones named in the system property {@value #PROPERTY} (class names,
 * comma-separated), else the ones registered for {@link ServiceLoader}. Naming them spares the JVM
 * ServiceLoader's search, which opens every JAR of the class path (the distribution's 150 or so: about 100 ms of
 * each command that loads plugins), as SLF4J's {@code slf4j.provider} does for its backend. A named host whose
 * class is not on the class path is left out, as a host JAR left out is.
 */
final class HostDiscovery {
    static final String PROPERTY = "dataflare.plugin.hosts";

    private static final Logger LOG = LoggerFactory.getLogger(HostDiscovery.class);

    private HostDiscovery() {}

    static List<PluginHost> hosts(ClassLoader loader) {
        String named = System.getProperty(PROPERTY);
        List<PluginHost> hosts = new ArrayList<>();
        if (named == null || named.isBlank()) {
            ServiceLoader.load(PluginHost.class, loader).forEach(hosts::add);
            return hosts;
        }
        for (String name : named.split(",")) {
            if (!name.isBlank()) named(name.strip(), loader, hosts);
        }
        return hosts;
    }

    private static void named(String className, ClassLoader loader, List<PluginHost> hosts) {
        Class<?> type;
        try {
            type = Class.forName(className, false, loader);
        } catch (ClassNotFoundException e) {
            LOG.debug(
                    "plugin host {} (named in {}) is not on the class path: its plugins are not loaded",
                    className,
                    PROPERTY);
            return;
        }
        if (!PluginHost.class.isAssignableFrom(type)) {
            throw new IllegalStateException(PROPERTY + " names " + className + ", which is not a PluginHost");
        }
        try {
            hosts.add((PluginHost) type.getDeclaredConstructor().newInstance());
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("plugin host " + className + " failed to start: " + e.getCause(), e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "plugin host " + className + " (named in " + PROPERTY + ") needs a public no-argument constructor",
                    e);
        }
    }
}
