package io.dataflare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.engine.plugin.PluginRegistry;
import io.dataflare.engine.plugin.sign.PluginTrust;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedPluginRegistriesTest {
    @TempDir
    Path dir;

    @AfterEach
    void off() {
        SharedPluginRegistries.disable();
    }

    private PluginRegistry get(Path folder) {
        return SharedPluginRegistries.get(List.of(folder), List.of(), PluginTrust.none());
    }

    @Test
    void noneIsKeptOutsideTheDaemon() {
        assertThat(get(dir)).isNull();
    }

    @Test
    void theSameFoldersGetTheSameRegistryAndOtherFoldersAnother() throws Exception {
        SharedPluginRegistries.enable();
        PluginRegistry first = get(dir);
        assertThat(first).isNotNull();
        assertThat(get(dir.resolve("x").resolve("..")))
                .as("the same folder, written otherwise")
                .isSameAs(first);
        assertThat(get(Files.createDirectory(dir.resolve("other")))).isNotSameAs(first);
    }

    @Test
    void noneIsKeptWhenSignaturesAreRequired() {
        SharedPluginRegistries.enable();
        assertThat(SharedPluginRegistries.get(List.of(dir), List.of(), new PluginTrust(true, List.of())))
                .isNull();
    }

    @Test
    void theLeastRecentlyUsedIsLetGoBeyondTheLimit() throws Exception {
        SharedPluginRegistries.enable();
        List<Path> folders = new ArrayList<>();
        for (int i = 0; i <= SharedPluginRegistries.MAX; i++) folders.add(Files.createDirectory(dir.resolve("f" + i)));
        PluginRegistry oldest = get(folders.get(0));
        PluginRegistry recent = get(folders.get(1));
        for (int i = 2; i < folders.size(); i++) get(folders.get(i));
        assertThat(get(folders.get(1))).isSameAs(recent);
        assertThat(get(folders.get(0))).as("let go, made anew").isNotSameAs(oldest);
    }
}
