package io.dataflare.server.io;

import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.host.PluginManifest;
import java.util.List;

/**
 * The server's own components, {@code push} and {@code memory}, as a plugin registered in process (they need
 * the server's per-task queues, so they cannot be plugin JARs).
 */
public final class Builtins {
    /** The plugin id they are listed under. */
    public static final String PLUGIN_ID = "dataflare-server";

    private Builtins() {}

    /** The plugin, for {@code PluginRegistry.register}. */
    public static LoadedPlugin plugin(TaskIo io, String engineVersion) {
        return new LoadedPlugin(
                PluginManifest.builder(PLUGIN_ID, engineVersion, "java")
                        .kinds(List.of("source", "sink"))
                        .description("Built-ins for tasks fed and read through the server's API")
                        .build(),
                null,
                List.of(new PushSourceFactory(io), new MemorySinkFactory(io)),
                null);
    }
}
