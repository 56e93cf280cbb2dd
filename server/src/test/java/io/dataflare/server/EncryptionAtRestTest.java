package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dataflare.engine.state.EncryptionKeys;
import io.dataflare.engine.state.StateEncryption;
import io.dataflare.engine.state.StateIntegrityException;
import io.dataflare.engine.state.StateStore;
import io.dataflare.engine.state.StateStores;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encryption at rest on a real server over a state directory: with a key, neither a pushed value (checkpointed,
 * and still queued in the spool of a paused task) nor the task's definition can be found in any file under the
 * state directory, and everything comes back after a restart; without a key both are there in clear (so the
 * search can fail). A modified byte is detected and named, a server without the key refuses the state, and a
 * rotated key reads the old state until {@code rekey} moved it to the new one.
 */
class EncryptionAtRestTest {
    private static final String PUSHED = "pushed-needle-4711";
    private static final String DEFINED = "definition-needle-0815";
    private static final String KEY_A = EncryptionKeys.generate();
    private static final String KEY_B = EncryptionKeys.generate();
    /** The definition as submitted is stored, comments included. */
    private static final String PIPELINE = """
            # %s
            sources: { in: { use: push } }
            sinks: { out: { use: memory, from: in } }
            runtime: { max_wait_ms: 5, checkpoint_interval_ms: 50 }
            """.formatted(DEFINED);

    @TempDir
    Path dir;

    private final InProcessPlugins plugins = new InProcessPlugins();

    private TestServer server(Map<String, String> env) {
        return new TestServer(
                plugins,
                TestEngines.withPlugins(plugins, b -> b.meters(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))),
                dir,
                ServerConfig.defaults(),
                env);
    }

    /** Pushes two records: one reaches the sink and a checkpoint, one stays queued while the task is paused. */
    private void pushAndCheckpoint(TestServer s) throws Exception {
        s.create("feed", PIPELINE);
        s.post("/api/tasks/feed/start");
        assertThat(s.post("/api/tasks/feed/records", "application/json", "[{\"v\": \"" + PUSHED + "-1\"}]")
                        .status())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> s.get("/api/tasks/feed/output").json().get("total").asInt() == 1);
        Thread.sleep(300); // checkpoints of the first record
        s.post("/api/tasks/feed/pause");
        Thread.sleep(200);
        assertThat(s.post("/api/tasks/feed/records", "application/json", "[{\"v\": \"" + PUSHED + "-2\"}]")
                        .status())
                .isEqualTo(202);
    }

    @Test
    void withAKeyNoPushedValueNorDefinitionIsFoundUnderTheStateDirAndAllComesBack() throws Exception {
        Map<String, String> env = Map.of(EncryptionKeys.KEY_VARIABLE, KEY_A);
        try (TestServer s = server(env)) {
            pushAndCheckpoint(s);
            assertThat(filesContaining(PUSHED)).as("while running").isEmpty();
        }
        assertThat(filesContaining(PUSHED)).isEmpty();
        assertThat(filesContaining(DEFINED)).isEmpty();
        assertThat(filesContaining("dfenc1:")).isNotEmpty();

        try (TestServer s = server(env)) {
            assertThat(s.state("feed")).isEqualTo("PAUSED");
            s.post("/api/tasks/feed/resume");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> s.get("/api/tasks/feed/output").body().contains(PUSHED + "-2"));
        }
    }

    @Test
    void withoutAKeyThePushedValueAndTheDefinitionAreStoredInClear() throws Exception {
        try (TestServer s = server(Map.of())) {
            pushAndCheckpoint(s);
        }
        assertThat(filesContaining(PUSHED))
                .as("the spool and checkpoints in clear")
                .isNotEmpty();
        assertThat(filesContaining(DEFINED)).isNotEmpty();
    }

    @Test
    void aServerWithoutTheKeyRefusesEncryptedState() throws Exception {
        try (TestServer s = server(Map.of(EncryptionKeys.KEY_VARIABLE, KEY_A))) {
            pushAndCheckpoint(s);
        }
        assertThatThrownBy(() -> server(Map.of()))
                .isInstanceOf(StateIntegrityException.class)
                .hasMessageContaining("is encrypted")
                .hasMessageContaining(EncryptionKeys.KEY_VARIABLE)
                .hasMessageContaining(dir.toString());
        assertThatThrownBy(() -> server(Map.of(EncryptionKeys.KEY_VARIABLE, KEY_B)))
                .as("another key")
                .isInstanceOf(StateIntegrityException.class)
                .hasMessageContaining("none of the configured keys");
    }

    @Test
    void aModifiedByteIsDetectedAndNamed() throws Exception {
        Map<String, String> env = Map.of(EncryptionKeys.KEY_VARIABLE, KEY_A);
        try (TestServer s = server(env)) {
            pushAndCheckpoint(s);
        }
        Path definition = dir.resolve("tasks").resolve("feed.v");
        byte[] bytes = Files.readAllBytes(definition);
        int at = bytes.length - 10; // inside the base64 ciphertext
        bytes[at] = (byte) (bytes[at] == 'A' ? 'B' : 'A');
        Files.write(definition, bytes);
        try (StateStore store = StateEncryption.protect(StateStores.open(dir.toString()), EncryptionKeys.of(KEY_A))) {
            assertThatThrownBy(() -> store.get("tasks", "feed"))
                    .isInstanceOf(StateIntegrityException.class)
                    .hasMessageContaining("tasks/feed")
                    .hasMessageContaining("was modified")
                    .hasMessageContaining("key " + EncryptionKeys.of(KEY_A).newestId());
        }
    }

    @Test
    void aRotatedKeyReadsTheOldStateAndRekeyMovesEverythingToIt() throws Exception {
        try (TestServer s = server(Map.of(EncryptionKeys.KEY_VARIABLE, KEY_A))) {
            pushAndCheckpoint(s);
        }
        EncryptionKeys both = EncryptionKeys.of(KEY_A, KEY_B);
        String idA = EncryptionKeys.of(KEY_A).newestId();
        String idB = both.newestId();
        try (StateStore rotated = StateEncryption.protect(StateStores.open(dir.toString()), both)) {
            // not through a server: its paused run could take the spooled record, and the spool let go of it
            assertThat(rotated.get("tasks", "feed"))
                    .as("the old key still decrypts")
                    .isPresent();
        }
        assertThat(filesContaining("dfenc1:" + idA + ":")).isNotEmpty();
        try (StateStore raw = StateStores.open(dir.toString())) {
            StateEncryption.Rekeyed r = StateEncryption.rekey(raw, both);
            assertThat(r.keyId()).isEqualTo(idB);
            assertThat(r.values()).isPositive();
            assertThat(r.logRecords()).as("the spooled record").isPositive();
        }
        assertThat(filesContaining("dfenc1:" + idA + ":"))
                .as("nothing left with the old key")
                .isEmpty();
        assertThat(filesContaining(PUSHED)).isEmpty();
        try (TestServer s = server(Map.of(EncryptionKeys.KEY_VARIABLE, KEY_B))) {
            assertThat(s.state("feed")).as("the new key alone").isEqualTo("PAUSED");
            s.post("/api/tasks/feed/resume");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> s.get("/api/tasks/feed/output").body().contains(PUSHED + "-2"));
        }
    }

    /** Every file under the state directory whose bytes contain {@code text}. */
    private List<Path> filesContaining(String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(f);
                } catch (IOException e) {
                    continue; // a lock file held by the OS
                }
                if (indexOf(bytes, needle) >= 0) found.add(f);
            }
        }
        return found;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
