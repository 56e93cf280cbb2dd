package io.dataflare.workflow.conformance;

import io.dataflare.engine.plugin.PluginRegistry;
import io.dataflare.workflow.plugin.PluginTaskInvoker;
import io.dataflare.workflow.validation.ResourceCheck;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Real plugin tasks for conformance cases: one registry (script hosts found on the class path), one invoker per folder. */
final class PluginTasks {
    private static PluginRegistry registry;
    private static final Map<Path, PluginTaskInvoker> INVOKERS = new ConcurrentHashMap<>();

    private PluginTasks() {}

    static synchronized PluginTaskInvoker invoker(Path dir) {
        if (registry == null) {
            registry = PluginRegistry.builder()
                    .discoverHosts()
                    .addDirectory(ConformanceTest.ROOT.resolve("plugins/installed"))
                    .build();
            registry.scan();
        }
        return INVOKERS.computeIfAbsent(dir.toAbsolutePath(), d -> new PluginTaskInvoker(registry, d));
    }

    static ResourceCheck check(Path dir) {
        return invoker(dir);
    }

    static synchronized void closeAll() {
        INVOKERS.values().forEach(PluginTaskInvoker::close);
        INVOKERS.clear();
        if (registry != null) registry.close();
        registry = null;
    }
}
