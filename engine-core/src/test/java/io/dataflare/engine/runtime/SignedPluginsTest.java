package io.dataflare.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.plugin.PluginEntry;
import io.dataflare.engine.plugin.PluginEvent;
import io.dataflare.engine.plugin.sign.KeyFiles;
import io.dataflare.engine.plugin.sign.PluginSignature;
import io.dataflare.engine.plugin.sign.PluginTrust;
import io.dataflare.engine.testing.EndlessRun;
import io.dataflare.engine.testing.Fixtures;
import io.dataflare.engine.testing.TestEngines;
import io.dataflare.engine.testing.WatchedFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A registry that requires signed plugins: at start, on hot reload, and for a plugin named by path. */
@Timeout(60)
class SignedPluginsTest {
    private static final String PIPELINE = "sources: { in: { use: seq, with: { count: 1 } } }\n"
            + "processors: { p: { use: %s, from: in } }\nsinks: { out: { use: collect, from: p, with: { name: x } } }\n";

    @TempDir
    Path tmp;

    private Path plugins;
    private Path trusted;
    private PrivateKey key;
    private WatchedFolder folder;

    @BeforeEach
    void aTrustedPublisher() throws Exception {
        plugins = Files.createDirectories(tmp.resolve("plugins"));
        trusted = Files.createDirectories(tmp.resolve("trusted-keys"));
        KeyPair pair = KeyFiles.generate();
        KeyFiles.writePublic(pair.getPublic(), trusted.resolve("acme.pub"));
        key = pair.getPrivate();
    }

    @AfterEach
    void close() throws Exception {
        if (folder != null) folder.close();
    }

    private void watch() {
        folder = new WatchedFolder(plugins, b -> b.registry(r -> r.trust(new PluginTrust(true, List.of(trusted)))));
    }

    @Test
    void anUnsignedReplacementIsRefusedAndTheSignedVersionKeepsServing() throws Exception {
        PluginSignature.sign(Fixtures.stamp(plugins.resolve("stamp.jar"), "1.0.0"), key);
        watch();
        EndlessRun endless = folder.start("stamp", "note: hi");
        endless.awaitLast("v", "1.0.0");

        // replaced in place by an unsigned build: its old .sig no longer matches the content
        Fixtures.stamp(plugins.resolve("stamp.jar"), "1.0.0", "1.0.0-unsigned");
        folder.awaitEvent(PluginEvent.Kind.FAILED);
        PluginEntry e = folder.engine().plugins().entries().get(0);
        assertThat(e.state()).isEqualTo(PluginEntry.State.STALE);
        assertThat(e.reason())
                .startsWith("the new content is failed: " + PluginTrust.REFUSED
                        + "bad signature: stamp.jar changed since it was signed")
                .endsWith("; still serving stamp@1.0.0");
        assertThat(folder.events())
                .filteredOn(x -> x.kind() == PluginEvent.Kind.FAILED)
                .first()
                .satisfies(x -> assertThat(x.file())
                        .isEqualTo(plugins.resolve("stamp.jar").toAbsolutePath()));
        long before = endless.out().size();
        await().atMost(Duration.ofSeconds(20)).until(() -> endless.out().size() > before + 1000);
        assertThat(endless.last("v")).isEqualTo("1.0.0");

        PluginSignature.sign(plugins.resolve("stamp.jar"), key); // the publisher signs it: now it serves
        endless.awaitLast("v", "1.0.0-unsigned");
        endless.stop();
        endless.assertEveryRecordOnceInOrder(id -> true);
    }

    @Test
    void anUnsignedFileIsRefusedAtStartNamingTheFile() throws Exception {
        Fixtures.stamp(plugins.resolve("stamp.jar"), "1.0.0");
        watch();
        folder.engine().plugins().scan();
        assertThatThrownBy(() -> TestEngines.plan(folder.engine(), PIPELINE.formatted("stamp")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("no processor named 'stamp' is installed")
                .hasMessageContaining(plugins.resolve("stamp.jar").toAbsolutePath() + ": " + PluginTrust.REFUSED
                        + "stamp.jar is not signed (no stamp.jar.sig)");
    }

    @Test
    void aPluginNamedByPathIsCheckedToo() throws Exception {
        Path elsewhere = Fixtures.stamp(tmp.resolve("stamp-by-path.jar"), "1.0.0");
        watch();
        String byPath = PIPELINE.formatted(elsewhere.toAbsolutePath());
        assertThatThrownBy(() -> TestEngines.plan(folder.engine(), byPath))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(PluginTrust.REFUSED + "stamp-by-path.jar is not signed");
        PluginSignature.sign(elsewhere, key);
        assertThat(TestEngines.plan(folder.engine(), byPath)
                        .stage("p")
                        .component()
                        .pluginLabel())
                .isEqualTo("stamp@1.0.0");
    }
}
