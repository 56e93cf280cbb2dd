package io.dataflare.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * A worker process of the activity crash IT: long-polls {@code POST /api/activities/NAME/poll} and answers each
 * task {@code {"n": N}} with {@code {"n": N, "double": 2N}}. While the server is away (killed, restarting) it keeps
 * polling, and it keeps sending an answer it holds until the server takes or refuses it: the lease is stored in
 * the server's state store, so the restarted server accepts the token. Each answer's status goes to the log file
 * as {@code N STATUS} (204 taken, 409 refused), one line per task, so the test can check that no task was answered
 * twice.
 *
 * <p>Arguments: SERVER_URL ACTIVITY WORKER_NAME LOG_FILE; the bearer token in {@code DATAFLARE_TOKEN}.
 */
public final class ActivityCrashWorker {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ActivityCrashWorker() {}

    public static void main(String[] args) throws Exception {
        URI server = URI.create(args[0]);
        String activity = args[1];
        String name = args[2];
        Path log = Path.of(args[3]);
        String token = System.getenv("DATAFLARE_TOKEN");
        try (HttpClient http = HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
                PrintStream out = new PrintStream(
                        Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
                        true,
                        StandardCharsets.UTF_8)) {
            String poll = JSON.createObjectNode()
                    .put("worker", name)
                    .put("wait_seconds", 5)
                    .toString();
            while (true) {
                HttpResponse<String> r;
                try {
                    r = post(http, server, token, "/api/activities/" + activity + "/poll", poll);
                } catch (IOException e) {
                    Thread.sleep(100); // the server is away: poll again
                    continue;
                }
                if (r.statusCode() == 204) continue;
                if (r.statusCode() != 200)
                    throw new IllegalStateException("poll answered " + r.statusCode() + ": " + r.body());
                JsonNode task = JSON.readTree(r.body());
                long n = task.get("input").get("n").asLong();
                String result =
                        JSON.createObjectNode().put("n", n).put("double", 2 * n).toString();
                String path = "/api/activities/tasks/" + task.get("task_token").asText() + "/success";
                out.println(n + " " + answer(http, server, token, path, result));
            }
        }
    }

    /** Sends the answer until the server takes it or refuses it (a restart in between keeps the lease). */
    private static int answer(HttpClient http, URI server, String token, String path, String body)
            throws InterruptedException {
        while (true) {
            try {
                return post(http, server, token, path, body).statusCode();
            } catch (IOException e) {
                // the server is away, or was killed mid-request (the answer may or may not be stored): sending
                // it again is either taken or refused (409), never taken twice
                Thread.sleep(100);
            }
        }
    }

    private static HttpResponse<String> post(HttpClient http, URI server, String token, String path, String body)
            throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(server.resolve(path))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
