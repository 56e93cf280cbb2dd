package io.dataflare.examples.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A worker of one workflow activity on a DataFlare task server: it long-polls
 * {@code POST /api/activities/{name}/poll}, runs its {@link Handler} on each task's input while heartbeating in
 * the background, and answers {@code .../tasks/{token}/success} with the handler's result or {@code .../failure}
 * with what it threw ({@link ActivityFailure}: its error and cause; anything else: the exception's simple class
 * name and message). An answer the server could not take (unreachable, restarting) is sent again every second
 * until it is taken or refused. A lease lost meanwhile (the server answers 409) ends the task's work: its result is
 * dropped, as the workflow has retried or moved on.
 */
public final class ActivityWorker implements AutoCloseable {
    /** What the worker does with a task. */
    @FunctionalInterface
    public interface Handler {
        /** The task's result (any JSON) for its input; throw {@link ActivityFailure} to fail it by name. */
        JsonNode handle(JsonNode input) throws Exception;
    }

    /** A failure with the error name a workflow's Retry and Catch match. */
    public static final class ActivityFailure extends Exception {
        private static final long serialVersionUID = 1L;
        private final String error;

        public ActivityFailure(String error, String cause) {
            super(cause);
            this.error = error;
        }

        public String error() {
            return error;
        }
    }

    /** How a task ended for this worker. */
    public enum Outcome {
        /** No task came within the poll's wait. */
        NONE,
        SUCCEEDED,
        FAILED,
        /** The answer was refused: the lease was lost (409) or the token unknown (404). */
        REFUSED
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI server;
    private final String token;
    private final String activity;
    private final String name;
    private final Handler handler;
    private final Duration heartbeatEvery;
    private final int waitSeconds;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ScheduledExecutorService beats =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param server         the task server's URL, e.g. {@code http://localhost:8080}
     * @param token          a bearer token with the {@code activities:work} permission (null: none)
     * @param activity       the activity's name ({@code activity:NAME} in the workflow)
     * @param name           this worker's name, shown in the task's lease
     * @param heartbeatEvery how often to heartbeat while the handler runs (below the states' HeartbeatSeconds)
     * @param waitSeconds    how long one poll waits for a task (0 to 60)
     */
    public ActivityWorker(
            URI server,
            String token,
            String activity,
            String name,
            Handler handler,
            Duration heartbeatEvery,
            int waitSeconds) {
        this.server = server;
        this.token = token;
        this.activity = activity;
        this.name = name;
        this.handler = handler;
        this.heartbeatEvery = heartbeatEvery;
        this.waitSeconds = waitSeconds;
    }

    /** Polls until {@link #close()} (or an interrupt), handling each task. */
    public void run() throws InterruptedException {
        while (!closed.get()) {
            try {
                runOnce();
            } catch (IOException e) {
                Thread.sleep(1000); // the server is away (restarting): poll again shortly
            }
        }
    }

    /** Polls once, and handles the task if one came. */
    public Outcome runOnce() throws IOException, InterruptedException {
        ObjectNode poll = JSON.createObjectNode().put("worker", name).put("wait_seconds", waitSeconds);
        HttpResponse<String> r = post("/api/activities/" + encode(activity) + "/poll", poll.toString());
        if (r.statusCode() == 204) return Outcome.NONE;
        if (r.statusCode() != 200)
            throw new IOException("poll of activity " + activity + " answered " + r.statusCode() + ": " + r.body());
        JsonNode task = JSON.readTree(r.body());
        String taskToken = task.get("task_token").asText();
        String base = "/api/activities/tasks/" + encode(taskToken);
        AtomicBoolean lost = new AtomicBoolean();
        ScheduledFuture<?> beating = beats.scheduleAtFixedRate(
                () -> {
                    try {
                        int s = post(base + "/heartbeat", "").statusCode();
                        if (s == 409 || s == 404) lost.set(true);
                    } catch (IOException | InterruptedException e) {
                        // a missed beat: the next one may reach the server
                    }
                },
                heartbeatEvery.toMillis(),
                heartbeatEvery.toMillis(),
                TimeUnit.MILLISECONDS);
        String path;
        String body;
        try {
            JsonNode output = handler.handle(task.get("input"));
            path = base + "/success";
            body = JSON.writeValueAsString(output);
        } catch (ActivityFailure f) {
            path = base + "/failure";
            body = failure(f.error(), f.getMessage());
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            path = base + "/failure";
            body = failure(e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
        } finally {
            beating.cancel(false);
        }
        if (lost.get()) return Outcome.REFUSED;
        int status = answer(path, body);
        if (status == 409 || status == 404) return Outcome.REFUSED;
        if (status != 204) throw new IOException("the answer to " + path + " was " + status);
        return path.endsWith("/success") ? Outcome.SUCCEEDED : Outcome.FAILED;
    }

    /**
     * Sends the answer until the server takes it: a server away (restarting, the network down) gets it again
     * every second, since the task stays leased to this worker (or its lease runs out, and the answer is refused).
     */
    private int answer(String path, String body) throws IOException, InterruptedException {
        while (true) {
            try {
                int status = post(path, body).statusCode();
                if (status != 502 && status != 503 && status != 504) return status;
            } catch (IOException e) {
                if (closed.get()) throw e;
            }
            Thread.sleep(1000);
        }
    }

    private static String failure(String error, String cause) {
        return JSON.createObjectNode().put("error", error).put("cause", cause).toString();
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(path))
                .timeout(Duration.ofSeconds(waitSeconds + 30L))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        closed.set(true);
        beats.shutdownNow();
        http.close();
    }
}
