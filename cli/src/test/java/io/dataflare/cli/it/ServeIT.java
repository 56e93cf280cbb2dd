package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dataflare serve} from the packaged distribution with the real plugin JARs: a config-declared task
 * runs, the client commands drive another, SIGTERM stops every task at a checkpoint and exits 0, and the
 * restarted server resumes the running task so that every record is written exactly once.
 */
class ServeIT {
    private static final int COUNT = 200_000;
    private static final String TOKEN = "it-token-0123456789";

    @TempDir
    Path dir;

    @AfterEach
    void clearClientConfig() {
        System.clearProperty("dataflare.client.config");
    }

    @Test
    void servesTasksStopsOnSigtermAndResumesAfterARestart() throws Exception {
        Path config = Files.writeString(dir.resolve("tasks.yaml"), """
                tasks:
                  numbers:
                    enabled: true
                    pipeline:
                      sources: { gen: { use: generator, with: { count: %d } } }
                      processors: { slow: { use: delay, from: gen, with: { per_batch_ms: 50 } } }
                      sinks: { out: { use: jsonl-file, from: slow, with: { path: out/numbers.jsonl } } }
                      runtime: { batch_size: 1000, checkpoint_interval_ms: 200 }
                """.formatted(COUNT));
        Path feed = Files.writeString(dir.resolve("feed.yaml"), """
                sources: { in: { use: push, with: { schema: { amount: double } } } }
                processors: { big: { use: filter, from: in, with: { expr: "amount >= 20" } } }
                sinks: { out: { use: memory, from: big } }
                """);
        Path csv = Files.writeString(dir.resolve("orders.csv"), "id,amount\n1,5\n2,25\n3,40\n");

        Process server = Distribution.startServer(dir, "1", config, TOKEN, "512m");
        String url = Distribution.serverUrl(dir, "1");
        System.setProperty(
                "dataflare.client.config",
                Files.writeString(dir.resolve("client.yaml"), "server: " + url + "\ntoken: " + TOKEN + "\n")
                        .toString());

        Distribution.Cli list = Distribution.cli("task", "list");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).containsPattern("numbers\\s+RUNNING");
        assertThat(Distribution.cli("task", "create", feed.toString(), "--start")
                        .out())
                .contains("created task 'feed' (RUNNING)");
        assertThat(Distribution.cli("task", "push", "feed", csv.toString()).out())
                .contains("pushed 3 records");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> Distribution.cli("task", "output", "feed", "--json")
                                .json()
                                .get("total")
                                .asInt()
                        == 2);
        assertThat(Distribution.cli("task", "output", "feed").out())
                .contains("\"id\":\"2\"", "\"id\":\"3\"")
                .doesNotContain("\"id\":\"1\"");
        assertThat(Distribution.cli("task", "pause", "feed").out()).contains("PAUSED");

        Thread.sleep(1500);
        server.destroy(); // SIGTERM
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(dir.resolve("serve1.err"));
        assertThat(server.exitValue()).as(err).isZero();
        assertThat(err).contains("stopped");
        long written = Files.lines(dir.resolve("out/numbers.jsonl")).count();
        assertThat(written).as("stopped mid-way").isBetween(1L, (long) COUNT - 1);

        Process again = Distribution.startServer(dir, "2", config, TOKEN, "512m");
        String url2 = Distribution.serverUrl(dir, "2");
        Distribution.Cli show = Distribution.cli("task", "show", "feed", "--server", url2, "--json");
        assertThat(show.json().get("state").asText()).isEqualTo("PAUSED");
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> Distribution.cli("task", "show", "numbers", "--server", url2, "--json")
                        .json()
                        .get("state")
                        .asText()
                        .equals("COMPLETED"));
        assertExactlyOnce(dir.resolve("out/numbers.jsonl"));
        again.destroy();
        assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(again.exitValue())
                .as(Files.readString(dir.resolve("serve2.err")))
                .isZero();
    }

    private static void assertExactlyOnce(Path file) throws Exception {
        BitSet seen = new BitSet(COUNT);
        int lines = 0;
        try (BufferedReader r = Files.newBufferedReader(file)) {
            for (String line; (line = r.readLine()) != null; lines++) {
                JsonNode n = Distribution.JSON.readTree(line);
                int id = n.get("id").asInt();
                assertThat(seen.get(id)).as("id %d twice", id).isFalse();
                seen.set(id);
            }
        }
        assertThat(lines).isEqualTo(COUNT);
    }
}
