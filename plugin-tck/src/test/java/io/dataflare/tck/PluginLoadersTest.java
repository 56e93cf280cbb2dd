package io.dataflare.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.host.PluginLoadException;
import io.dataflare.engine.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginLoadersTest {
    @TempDir
    Path dir;

    @Test
    void aFileIsLoadedByTheHostOnTheClassPathThatHandlesIt() throws Exception {
        LoadedPlugin p = PluginLoaders.file(Fixtures.stamp(dir.resolve("stamp.jar"), "1.2.0"));
        assertEquals("stamp@1.2.0", p.label());
        assertEquals("stamp", p.components().get(0).name());
        p.close();
        assertTrue(p.isClosed());
    }

    @Test
    void aFileNoHostHandlesIsRefusedNamingTheHosts() throws Exception {
        Path txt = Files.writeString(dir.resolve("notes.txt"), "hello");
        PluginLoadException e = assertThrows(PluginLoadException.class, () -> PluginLoaders.file(txt));
        assertEquals("no plugin host on the class path handles notes.txt (hosts: java)", e.getMessage());
    }
}
