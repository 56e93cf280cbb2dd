package io.dataflare.engine.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.engine.host.HostContext;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.host.PluginHost;
import io.dataflare.engine.host.PluginLoadException;
import io.dataflare.engine.plugin.sign.PluginTrust;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginScannerTest {
    @TempDir
    Path dir;

    /** Handles {@code *.plug} files; none of them loads (what they declare does not matter here). */
    private static final PluginHost HOST = new PluginHost() {
        @Override
        public String language() {
            return "test";
        }

        @Override
        public boolean handles(Path file) {
            return file.toString().endsWith(".plug");
        }

        @Override
        public LoadedPlugin load(Path file, HostContext context) throws PluginLoadException {
            throw new PluginLoadException("not a real plugin");
        }

        @Override
        public void close() {}
    };

    @Test
    void aFolderThatCannotBeListedKeepsItsKnownFiles() throws Exception {
        Files.writeString(dir.resolve("a.plug"), "a");
        Files.writeString(dir.resolve("b.plug"), "b");
        AtomicBoolean failing = new AtomicBoolean();
        PluginScanner scanner = new PluginScanner(List.of(dir), List.of(HOST), "1.1.0", PluginTrust.none(), d -> {
            if (failing.get()) throw new IOException("Too many open files");
            return Files.list(d);
        });
        Map<Path, PluginFile> known = new LinkedHashMap<>();
        for (PluginFile f : scanner.scan(Map.of())) known.put(f.file, f);
        assertThat(known).hasSize(2);

        failing.set(true);
        assertThat(scanner.scan(known)).containsExactlyElementsOf(known.values());

        failing.set(false);
        Files.delete(dir.resolve("a.plug"));
        assertThat(scanner.scan(known))
                .extracting(f -> f.file.getFileName().toString())
                .containsExactly("b.plug");
    }
}
