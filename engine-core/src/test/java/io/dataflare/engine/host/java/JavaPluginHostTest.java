package io.dataflare.engine.host.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.PluginFactory;
import io.dataflare.engine.host.HostContext;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.host.PluginLoadException;
import io.dataflare.engine.host.java.fixture.GreeterFactory;
import io.dataflare.engine.plugin.PluginEntry;
import io.dataflare.engine.plugin.PluginReference;
import io.dataflare.engine.plugin.PluginRegistry;
import io.dataflare.engine.testing.PluginJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.PluginClassLoader;

class JavaPluginHostTest {
    private final JavaPluginHost host = new JavaPluginHost();
    private final HostContext ctx = new HostContext("1.0.0");

    @TempDir
    Path dir;

    @Test
    void loadsAPluginJarInItsOwnClassLoader() throws Exception {
        Path jar = PluginJars.write(
                dir.resolve("greeter-1.0.0.jar"),
                "greeter",
                "1.0.0",
                Map.of("Plugin-Description", "Says hello", "Plugin-Requires", "^1.0"),
                GreeterFactory.class);
        try (LoadedPlugin p = host.load(jar, ctx)) {
            assertThat(p.label()).isEqualTo("greeter@1.0.0");
            assertThat(p.manifest().getPluginDescription()).isEqualTo("Says hello");
            assertThat(p.manifest().getRequires()).isEqualTo("^1.0");
            assertThat(p.manifest().kinds()).containsExactly("processor");
            assertThat(p.manifest().checksum()).hasSize(64);
            PluginFactory<?> f = p.components().get(0);
            assertThat(f.name()).isEqualTo("greeter");
            assertThat(f.getClass().getClassLoader()).isInstanceOf(PluginClassLoader.class);
            assertThat(f.getClass()).isNotSameAs(GreeterFactory.class);
        }
    }

    @Test
    void aPluginPropertiesFileInTheJarIsReadBeforeItsManifest() throws Exception {
        Path jar = PluginJars.spec("from-manifest", "1.0.0")
                .extension(GreeterFactory.class)
                .resource(
                        "plugin.properties", "plugin.id=from-properties\nplugin.version=2.1.0\nplugin.requires=^1.0\n")
                .write(dir.resolve("props.jar"));
        assertThat(host.describe(jar, ctx).label()).isEqualTo("from-properties@2.1.0");
        try (LoadedPlugin p = host.load(jar, ctx)) {
            assertThat(p.label()).isEqualTo("from-properties@2.1.0");
            assertThat(p.manifest().getRequires()).isEqualTo("^1.0");
            assertThat(p.components()).extracting(PluginFactory::name).containsExactly("greeter");
        }
    }

    @Test
    void twoVersionsOfOnePluginLoadSideBySide() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.write(plugins.resolve("greeter-1.0.0.jar"), "greeter", "1.0.0", Map.of(), GreeterFactory.class);
        PluginJars.write(plugins.resolve("greeter-1.2.0.jar"), "greeter", "1.2.0", Map.of(), GreeterFactory.class);
        PluginJars.write(plugins.resolve("greeter-2.0.0.jar"), "greeter", "2.0.0", Map.of(), GreeterFactory.class);
        try (PluginRegistry registry = PluginRegistry.builder()
                .addHost(host)
                .addDirectory(plugins)
                .engineVersion("1.0.0")
                .build()) {
            registry.scan();
            assertThat(registry.plugins())
                    .extracting(LoadedPlugin::label)
                    .containsExactlyInAnyOrder("greeter@1.0.0", "greeter@1.2.0", "greeter@2.0.0");
            var v1 = registry.resolve(ComponentKind.PROCESSOR, PluginReference.parse("greeter@^1"), dir);
            var v2 = registry.resolve(ComponentKind.PROCESSOR, PluginReference.parse("greeter@2.x"), dir);
            var latest = registry.resolve(ComponentKind.PROCESSOR, PluginReference.parse("greeter"), dir);
            assertThat(v1.pluginLabel()).isEqualTo("greeter@1.2.0");
            assertThat(v2.pluginLabel()).isEqualTo("greeter@2.0.0");
            assertThat(latest.pluginLabel()).isEqualTo("greeter@2.0.0");
            assertThat(v1.factory().getClass()).isNotSameAs(v2.factory().getClass());
        }
    }

    @Test
    void anIncompatibleEngineRangeIsListedWithTheReason() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.write(
                plugins.resolve("future.jar"),
                "future",
                "1.0.0",
                Map.of("Plugin-Requires", ">=2.0.0"),
                GreeterFactory.class);
        try (PluginRegistry registry = PluginRegistry.builder()
                .addHost(host)
                .addDirectory(plugins)
                .engineVersion("1.0.0")
                .build()) {
            PluginEntry e = registry.scan().get(0);
            assertThat(e.state()).isEqualTo(PluginEntry.State.INCOMPATIBLE);
            assertThat(e.reason()).isEqualTo("requires engine >=2.0.0, this engine is 1.0.0");
            assertThatThrownBy(() -> registry.resolve(ComponentKind.PROCESSOR, PluginReference.parse("greeter"), dir))
                    .hasMessageContaining("no processor named 'greeter' is installed");
        }
    }

    @Test
    void brokenFilesAreRejectedWithAReason() throws Exception {
        Path corrupt = Files.write(dir.resolve("corrupt.jar"), new byte[] {1, 2, 3, 4, 5});
        assertThatThrownBy(() -> host.load(corrupt, ctx))
                .isInstanceOf(PluginLoadException.class)
                .hasMessageContaining("not a readable JAR");

        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.write(plugins.resolve("empty.jar"), "empty", "1.0.0", Map.of());
        Files.writeString(plugins.resolve("bad-manifest.jar.txt"), "not scanned");
        PluginJars.write(plugins.resolve("bad-version.jar"), "bad", "one", Map.of(), GreeterFactory.class);
        PluginJars.write(plugins.resolve("no-id.jar"), "", "1.0.0", Map.of(), GreeterFactory.class);
        try (PluginRegistry registry =
                PluginRegistry.builder().addHost(host).addDirectory(plugins).build()) {
            assertThat(registry.scan())
                    .extracting(e -> e.file().getFileName() + ": " + e.state() + ": " + e.reason())
                    .containsExactly(
                            "bad-version.jar: FAILED: bad manifest: Plugin-Version 'one' is not semver (e.g. 1.2.0)",
                            "empty.jar: LOADED: " + PluginRegistry.NO_COMPONENTS,
                            "no-id.jar: FAILED: bad manifest: no Plugin-Id (in META-INF/MANIFEST.MF or plugin.properties)");
        }
    }

    @Test
    void aBrokenFileDoesNotStopTheScan() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.write(plugins.resolve("a-corrupt.jar"), new byte[] {9, 9, 9});
        PluginJars.write(plugins.resolve("b-greeter.jar"), "greeter", "1.0.0", Map.of(), GreeterFactory.class);
        Files.writeString(plugins.resolve("README.txt"), "not a plugin");
        try (PluginRegistry registry =
                PluginRegistry.builder().addHost(host).addDirectory(plugins).build()) {
            assertThat(registry.scan())
                    .extracting(PluginEntry::state)
                    .containsExactly(PluginEntry.State.FAILED, PluginEntry.State.LOADED);
        }
    }

    @Test
    void closingUnloadsTheClassLoader() throws Exception {
        Path jar = PluginJars.write(dir.resolve("g.jar"), "greeter", "1.0.0", Map.of(), GreeterFactory.class);
        LoadedPlugin p = host.load(jar, ctx);
        PluginClassLoader loader =
                (PluginClassLoader) p.components().get(0).getClass().getClassLoader();
        p.close();
        assertThat(loader.isClosed()).isTrue();
    }
}
