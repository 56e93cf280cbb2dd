package io.dataflare.cli.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.engine.runtime.PipelineRun;
import io.dataflare.engine.runtime.StatsSnapshot;
import io.dataflare.engine.version.EngineVersion;
import io.dataflare.server.TaskServer;
import io.dataflare.server.task.Task;
import io.dataflare.server.task.TaskCompiler;
import io.dataflare.server.task.TaskException;
import io.dataflare.server.task.TaskSpec;
import io.dataflare.server.task.TaskState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code dataflare edge} does at each heartbeat: tells the central server who this node is and how its tasks
 * do, and makes the local task server run what the central server assigns (creating, replacing, starting and
 * removing the tasks it got from it). When the central server cannot be reached nothing changes: the local tasks
 * keep running, and, being tasks of the local server, are resumed from its state directory when the node restarts.
 */
final class EdgeAgent {
    /** The origin of a local task the central server assigned: {@code edge:<sha256 of its pipeline text>}. */
    static final String ORIGIN = "edge:";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI heartbeat;
    private final String token;
    private final String nodeId;
    private final Map<String, String> labels;
    private final Path stateDir;
    private final TaskServer local;
    private final PrintWriter err;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final EdgePlugins plugins;
    /** The last plugin problem said for each task. */
    private final Map<String, String> pluginProblems = new java.util.HashMap<>();

    private boolean reachable = true;
    private boolean everReached;
    private long heartbeatMs = 5000;

    EdgeAgent(
            String central,
            String token,
            String nodeId,
            Map<String, String> labels,
            Path stateDir,
            TaskServer local,
            PrintWriter err) {
        URI base = URI.create(central.replaceAll("/+$", "") + "/");
        this.heartbeat = base.resolve("api/nodes/" + nodeId + "/heartbeat");
        this.plugins =
                new EdgePlugins(base, token, pluginDir(stateDir), local.engine().plugins(), http);
        this.token = token;
        this.nodeId = nodeId;
        this.labels = Map.copyOf(labels);
        this.stateDir = stateDir;
        this.local = local;
        this.err = err;
    }

    /** The plugin folder of the plugin files the central server assigns (the node's engine must scan it). */
    static Path pluginDir(Path stateDir) {
        return stateDir.resolve("plugins");
    }

    /** How long until the next heartbeat, as the central server last said. */
    long heartbeatMs() {
        return heartbeatMs;
    }

    /** One heartbeat: report, then apply what the central server assigns (nothing when it cannot be reached). */
    void sync() throws InterruptedException {
        JsonNode answer;
        try {
            HttpRequest req = HttpRequest.newBuilder(heartbeat)
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(report())))
                    .build();
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                unreachable("answered " + r.statusCode() + ": " + r.body());
                return;
            }
            answer = JSON.readTree(r.body());
        } catch (IOException e) {
            unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            return;
        }
        if (!reachable || !everReached) {
            say("reporting to " + heartbeat.resolve("/") + (everReached ? " again" : ""));
        }
        reachable = true;
        everReached = true;
        heartbeatMs = Math.max(100, answer.path("heartbeat_ms").asLong(heartbeatMs));
        apply(answer.path("assignments"));
    }

    private void unreachable(String why) {
        if (reachable) {
            say("the central server cannot be reached (" + why + "): the "
                    + local.tasks().list().size() + " local tasks keep running");
        }
        reachable = false;
    }

    private Map<String, Object> report() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("labels", labels);
        r.put("capabilities", capabilities());
        r.put("version", EngineVersion.current());
        List<Map<String, Object>> tasks = new ArrayList<>();
        MeterRegistry meters = meters();
        for (Task t : local.tasks().list()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", t.id());
            m.put("state", t.state().name());
            PipelineRun run = t.run();
            StatsSnapshot s = run == null ? null : run.stats();
            m.put("records_in", s == null ? 0 : s.recordsIn());
            m.put("records_out", s == null ? 0 : s.recordsOut());
            m.put("error", t.error());
            {
                m.put("spooled_records", sum(meters, "dataflare.sink.buffer.records", t.id()));
                m.put("spooled_bytes", sum(meters, "dataflare.sink.buffer.bytes", t.id()));
                m.put("spool_oldest_age_seconds", sum(meters, "dataflare.sink.buffer.oldest.age.seconds", t.id()));
            }
            tasks.add(m);
        }
        r.put("tasks", tasks);
        return r;
    }

    private MeterRegistry meters() {
        return local.engine().meters();
    }

    private static double sum(MeterRegistry meters, String name, String task) {
        double total = 0;
        for (Gauge g : meters.find(name).tag("pipeline", task).gauges()) total += g.value();
        return total;
    }

    /** The kinds of components this node can run, as {@code kind:name}. */
    private List<String> capabilities() {
        Set<String> out = new TreeSet<>();
        local.engine().plugins().entries().forEach(e -> {
            if (e.plugin() != null)
                e.plugin().components().forEach(f -> out.add(f.kind().label() + ":" + f.name()));
        });
        return List.copyOf(out);
    }

    private void apply(JsonNode assignments) throws InterruptedException {
        Set<String> assigned = new TreeSet<>();
        for (JsonNode a : assignments) {
            String id = a.path("id").asText();
            String text = a.path("pipeline").asText();
            String sha = a.path("sha256").asText();
            if (!TaskSpec.validId(id)) continue;
            assigned.add(id);
            if (!sha256(text).equals(sha)) {
                say("task '" + id + "': the pipeline received does not match its SHA-256; not run");
                continue;
            }
            String problem = plugins.install(a.path("plugins"));
            if (problem != null) {
                // said once per problem, not at every heartbeat
                if (!problem.equals(pluginProblems.put(id, problem))) say("task '" + id + "' not started: " + problem);
                continue;
            }
            pluginProblems.remove(id);
            try {
                place(id, a.path("format").asText("yaml"), text, sha);
            } catch (TaskException | IOException e) {
                say("task '" + id + "' cannot run here: " + e.getMessage());
            }
        }
        for (Task t : local.tasks().list()) {
            if (t.spec().origin().startsWith(ORIGIN) && !assigned.contains(t.id())) {
                try {
                    local.tasks().lifecycle().stop(t.id());
                    local.tasks().lifecycle().delete(t.id());
                    say("task '" + t.id() + "' is no longer assigned to this node: stopped and removed");
                } catch (TaskException e) {
                    say("task '" + t.id() + "' could not be removed: " + e.getMessage());
                }
            }
        }
    }

    /** Makes the local task {@code id} run the assigned pipeline: created, replaced (when it changed) or started. */
    private void place(String id, String format, String text, String sha) throws IOException, InterruptedException {
        Task existing = null;
        for (Task t : local.tasks().list()) if (t.id().equals(id)) existing = t;
        Path base = stateDir.resolve("tasks").resolve(id);
        Files.createDirectories(base);
        TaskSpec spec = new TaskSpec(id, format, text, base.toString(), ORIGIN + sha);
        if (existing != null && existing.spec().origin().equals(spec.origin())) {
            TaskState s = existing.state();
            if (s == TaskState.READY || s == TaskState.STOPPED)
                local.tasks().lifecycle().start(id, false);
            return;
        }
        TaskCompiler.Compiled compiled = local.tasks().compiler().compile(spec);
        if (existing == null) {
            local.tasks().lifecycle().create(spec, compiled);
            say("task '" + id + "' assigned: starting");
        } else {
            local.tasks().lifecycle().stop(id);
            local.tasks().lifecycle().update(id, spec, compiled);
            say("task '" + id + "' changed on the central server: restarting");
        }
        local.tasks().lifecycle().start(id, false);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private void say(String message) {
        err.println("dataflare edge: node " + nodeId + ": " + message);
        err.flush();
    }
}
