package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's {@code orders-feed} task on the packaged server: a push of a good and a bad record is accepted
 * (202), the bad record fails the run (ERROR, the default {@code on_error: abort}), and the good one is not
 * lost: once the pipeline dead-letters bad records (PUT) and the task is started again, it reaches the
 * output exactly once, and the bad one the dead-letter sink.
 */
class ServePushRedeliveryIT {
    private static final String TOKEN = "it-token-push-0123456789";
    private static final String GOOD =
            "{\"order_id\": 1, \"email\": \"Ann@Example.com\", \"amount\": 50, \"quantity\": 2, \"country\": \"DE\"}";
    /**
     * No email: the README pipeline's {@code email.toLowerCase()} fails on it in strict mode (the test's copy of
     * the pipeline sets {@code strict: true}; by default a missing field is null and the record would pass).
     */
    private static final String BAD = "{\"order_id\": 2, \"amount\": 70, \"quantity\": 1, \"country\": \"FR\"}";

    @TempDir
    Path dir;

    @AfterEach
    void clearClientConfig() {
        System.clearProperty("dataflare.client.config");
    }

    @Test
    void aPushedRecordSurvivesTheRunItFailedAndIsWrittenOnceAfterTheFix() throws Exception {
        Path examples = Path.of("..", "examples", "server");
        Path config = Files.copy(examples.resolve("tasks.yaml"), dir.resolve("tasks.yaml"));
        Path feed = Files.writeString(
                dir.resolve("orders-feed.yaml"),
                Files.readString(examples.resolve("orders-feed.yaml"))
                        .replace("    with:\n      set:", "    with:\n      strict: true\n      set:"));
        assertThat(Files.readString(feed)).contains("strict: true");
        Process server = Distribution.startServer(dir, "", config, TOKEN, "512m");
        try {
            String url = Distribution.serverUrl(dir, "");
            System.setProperty(
                    "dataflare.client.config",
                    Files.writeString(dir.resolve("client.yaml"), "server: " + url + "\ntoken: " + TOKEN + "\n")
                            .toString());
            await().atMost(Duration.ofSeconds(30)).until(() -> state().equals("RUNNING"));

            HttpResponse<String> pushed = push(url, "[" + GOOD + ", " + BAD + "]");
            assertThat(pushed.statusCode()).isEqualTo(202);
            assertThat(Distribution.JSON.readTree(pushed.body()).get("accepted").asInt())
                    .isEqualTo(2);
            await().atMost(Duration.ofSeconds(30)).until(() -> state().equals("ERROR"));
            assertThat(show().get("error").asText()).contains("email");

            HttpResponse<String> refused = push(url, "[" + GOOD + "]");

            Path fixed = Files.writeString(dir.resolve("orders-feed-fixed.yaml"), Files.readString(feed) + """

                    policies:
                      errors: { on_error: dead-letter, dead_letter: { use: memory } }
                    """);
            Distribution.Cli replaced =
                    Distribution.cli("task", "create", fixed.toString(), "--id", "orders-feed", "--replace", "--start");
            assertThat(replaced.exit()).as(replaced.err()).isZero();
            assertThat(replaced.out()).contains("updated task 'orders-feed'");

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> output("out").get("total").asInt() >= 1
                            && output("dead_letter").get("total").asInt() >= 1);
            Thread.sleep(500); // a record written twice would show by now
            JsonNode out = output("out");
            assertThat(out.get("total").asInt()).isEqualTo(1);
            assertThat(out.get("records")).hasSize(1);
            assertThat(out.at("/records/0/order_id").asInt()).isEqualTo(1);
            assertThat(out.at("/records/0/email").asText()).isEqualTo("ann@example.com");
            assertThat(out.at("/records/0/total").asDouble()).isEqualTo(100.0);
            JsonNode dead = output("dead_letter");
            assertThat(dead.get("total").asInt()).isEqualTo(1);
            assertThat(dead.toString()).contains("email");
            assertThat(refused.statusCode()).as("a push to a task in ERROR").isEqualTo(409);
            assertThat(refused.body()).contains("ERROR", "nothing was queued");

            Distribution.Cli stopped = Distribution.cli("task", "stop", "orders-feed");
            assertThat(stopped.out()).contains("task 'orders-feed' is STOPPED");
            Distribution.Cli again = Distribution.cli("task", "stop", "orders-feed");
            assertThat(again.exit()).isZero();
            assertThat(again.out()).contains("already stopped (STOPPED)");
        } finally {
            server.destroy();
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(server.exitValue())
                .as(Files.readString(dir.resolve("serve.err")))
                .isZero();
    }

    private static HttpResponse<String> push(String url, String body) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(
                    HttpRequest.newBuilder(URI.create(url + "/api/tasks/orders-feed/records"))
                            .header("Authorization", "Bearer " + TOKEN)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    private static JsonNode show() throws Exception {
        Distribution.Cli show = Distribution.cli("task", "show", "orders-feed", "--json");
        assertThat(show.exit()).as(show.err()).isZero();
        return show.json();
    }

    private static String state() throws Exception {
        return show().get("state").asText();
    }

    private static JsonNode output(String sink) throws Exception {
        Distribution.Cli out = Distribution.cli("task", "output", "orders-feed", "--sink", sink, "--json");
        assertThat(out.exit()).as(out.err()).isZero();
        return out.json();
    }
}
