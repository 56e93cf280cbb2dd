package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encryption at rest on the packaged server: with {@code DATAFLARE_ENCRYPTION_KEY} set, records pushed and
 * acknowledged (then the server SIGKILLed, so they are still in the spool) cannot be found in any file of the
 * state directory; without the key the server refuses to start (exit 2, saying so); {@code dataflare state rekey}
 * with the old and a new key moves everything to the new key, and a server with only the new key delivers every
 * record.
 */
class ServeEncryptedStateIT {
    private static final String KEY_OLD = "x0GqQ6f6Hc3m0c3zN3dVqv7cS3Yy8y4w0q1b2c3d4e8=";
    private static final String KEY_NEW = "Q1VTVE9NLWtleS1mb3ItdGhlLWVuY3J5cHRpb24tSVQ=";

    @TempDir
    Path dir;

    @Test
    void pushedValuesAreNotInClearAndTheKeyIsRequiredAndRotates() throws Exception {
        Path out = dir.resolve("out").resolve("records.jsonl");
        Path config = ServePushSpoolIT.config(dir, out);
        Process server = ServePushSpoolIT.start(dir, "1", config, Map.of("DATAFLARE_ENCRYPTION_KEY", KEY_OLD));
        String url = Distribution.serverUrl(dir, "1");
        ServePushSpoolIT.awaitRunning(url);
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (int first = 0; first < 500; first += 100) {
                HttpResponse<String> r = ServePushSpoolIT.push(http, url, first);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            }
        }
        server.destroyForcibly();
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Path state = dir.resolve("state");
        assertThat(filesContaining(state, "spooled-value-"))
                .as("pushed values under the state dir")
                .isEmpty();

        Process noKey = ServePushSpoolIT.start(dir, "2", config, Map.of());
        assertThat(noKey.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(noKey.exitValue()).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("serve2.err")))
                .contains("is encrypted", "no encryption key is configured", "DATAFLARE_ENCRYPTION_KEY");

        Process rekey = Distribution.startChild(
                List.of(),
                Map.of("DATAFLARE_ENCRYPTION_KEY", KEY_OLD + "," + KEY_NEW),
                dir.resolve("rekey.out"),
                dir.resolve("rekey.err"),
                "state",
                "rekey",
                "--state-dir",
                state.toString());
        assertThat(rekey.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(rekey.exitValue())
                .as(Files.readString(dir.resolve("rekey.err")))
                .isZero();
        assertThat(Files.readString(dir.resolve("rekey.out"))).contains("re-encrypted with key");

        Process again = ServePushSpoolIT.start(dir, "3", config, Map.of("DATAFLARE_ENCRYPTION_KEY", KEY_NEW));
        try {
            Distribution.serverUrl(dir, "3");
            await().atMost(Duration.ofSeconds(60)).until(() -> ServePushSpoolIT.lines(out) >= 500);
            Thread.sleep(1_000);
            assertThat(ServePushSpoolIT.lines(out)).isEqualTo(500);
            assertThat(filesContaining(state, "spooled-value-")).isEmpty();
        } finally {
            again.destroy();
            again.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private static List<Path> filesContaining(Path root, String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> {
                        try {
                            byte[] b = Files.readAllBytes(f);
                            outer:
                            for (int i = 0; i + needle.length <= b.length; i++) {
                                for (int j = 0; j < needle.length; j++) if (b[i + j] != needle[j]) continue outer;
                                return true;
                            }
                            return false;
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .toList();
        }
    }
}
