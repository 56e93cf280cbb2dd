package io.dataflare.support;

import io.dataflare.api.PluginContext;
import java.lang.reflect.Proxy;
import java.nio.file.Path;

/** Plugin contexts for the helpers' tests. */
public final class PathsAt {
    private PathsAt() {}

    /**
     * A context whose paths resolve against {@code base}, as the engine resolves them against the pipeline file;
     * the helpers ask it for nothing else.
     */
    public static PluginContext base(Path base) {
        return (PluginContext) Proxy.newProxyInstance(
                PluginContext.class.getClassLoader(), new Class<?>[] {PluginContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("resolvePath")) {
                        return base.resolve((String) args[0]).toAbsolutePath().normalize();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
