package io.dataflare.polyglot.component;

import io.dataflare.api.PluginFactory;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.polyglot.JavaScriptHost;
import io.dataflare.polyglot.PythonHost;
import io.dataflare.tck.PluginLoaders;
import io.dataflare.tck.SimplePluginContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Script components loaded from files in a test folder and created with a context that carries grants. */
final class Components implements AutoCloseable {
    private final Path dir;
    private final List<LoadedPlugin> loaded = new ArrayList<>();
    // one host per language for all the test's scripts: a Python engine costs seconds
    private final JavaScriptHost js = new JavaScriptHost();
    private final PythonHost python = new PythonHost();

    Components(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** Writes {@code text} to {@code name} in the folder and loads it. */
    PluginFactory<?> load(String name, String text) {
        try {
            Path f = dir.resolve(name);
            Files.writeString(f, text);
            LoadedPlugin p = PluginLoaders.load(name.endsWith(".py") ? python : js, f);
            loaded.add(p);
            return p.components().get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new instance of {@code factory} with {@code config}, the stage granted {@code grants}. */
    <T> T create(PluginFactory<?> factory, Class<T> type, Map<String, ?> config, Collection<String> grants)
            throws Exception {
        return type.cast(
                factory.create(SimplePluginContext.of(factory, config, dir).withGrants(grants)));
    }

    <T> T create(PluginFactory<?> factory, Class<T> type) throws Exception {
        return create(factory, type, Map.of(), List.of());
    }

    @Override
    public void close() throws Exception {
        for (LoadedPlugin p : loaded) p.close();
        js.close();
        python.close();
    }
}
