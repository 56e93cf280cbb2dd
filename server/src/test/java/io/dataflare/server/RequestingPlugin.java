package io.dataflare.server;

import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.host.PluginManifest;
import io.dataflare.engine.testing.InProcessPlugins;
import java.util.List;

/** An in-process plugin whose manifest requests capabilities: {@code fetcher@2.1.0} with a pass-through {@code fetch}. */
final class RequestingPlugin {
    static final List<String> CAPABILITIES = List.of("http:api.example.com", "file:read:data/*.csv");

    private RequestingPlugin() {}

    static LoadedPlugin fetcher() {
        var fetch = new InProcessPlugins()
                .processor("fetch", () -> batch -> batch).plugin().components().stream()
                        .filter(f -> f.name().equals("fetch"))
                        .toList();
        return new LoadedPlugin(
                PluginManifest.builder("fetcher", "2.1.0", "java")
                        .kinds(List.of("processor"))
                        .capabilities(CAPABILITIES)
                        .build(),
                null,
                fetch,
                null);
    }
}
