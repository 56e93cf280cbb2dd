package io.dataflare.server.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.engine.state.StateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge nodes of a central server: what each node said about itself at its last heartbeat (labels,
 * capabilities, version, the tasks it runs with their figures), kept in the state store so a restarted server
 * still knows them, and the tasks assigned to nodes by label selectors (the config file's {@code edge.tasks}).
 * A node is {@code healthy} while its heartbeats come (none missed for three intervals), else
 * {@code unreachable}.
 */
public final class EdgeNodes {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeNodes.class);
    private static final String NAMESPACE = "edge-nodes";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A task for the nodes whose labels include every label of {@code selector}.
     *
     * @param file its pipeline file, sent to the nodes as written (variables are resolved on the node)
     */
    public record Assignment(String id, Map<String, String> selector, Path file) {
        public Assignment {
            selector = Map.copyOf(selector);
        }

        boolean matches(Map<String, String> labels) {
            for (Map.Entry<String, String> e : selector.entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) return false;
            }
            return true;
        }
    }

    /** What a node says at a heartbeat. */
    public record Report(
            Map<String, String> labels, List<String> capabilities, String version, List<Map<String, Object>> tasks) {
        public Report {
            labels = Map.copyOf(labels);
            capabilities = List.copyOf(capabilities);
            tasks = List.copyOf(tasks);
        }
    }

    private final StateStore store;
    private final List<Assignment> assignments;
    private final long heartbeatMs;
    private final Clock clock;
    private final Map<String, Map<String, Object>> nodes = new TreeMap<>();

    public EdgeNodes(StateStore store, List<Assignment> assignments, long heartbeatMs, Clock clock) {
        this.store = store;
        this.assignments = List.copyOf(assignments);
        this.heartbeatMs = heartbeatMs;
        this.clock = clock;
        for (Map.Entry<String, String> e : store.list(NAMESPACE).entrySet()) {
            try {
                @SuppressWarnings("unchecked") // written by heartbeat() as a JSON object
                Map<String, Object> node = JSON.readValue(e.getValue(), Map.class);
                nodes.put(e.getKey(), node);
            } catch (JsonProcessingException ex) {
                LOG.warn("edge node '{}': its saved record is not JSON, forgotten: {}", e.getKey(), ex.getMessage());
            }
        }
    }

    /**
     * Records a node's heartbeat (its first registers it) and answers with what it should run: {@code node},
     * {@code heartbeat_ms} and {@code assignments}, each {@code {id, format, pipeline, sha256}}.
     *
     * @throws IOException when an assigned pipeline file cannot be read
     */
    public synchronized Map<String, Object> heartbeat(String nodeId, Report report) throws IOException {
        Instant now = clock.instant();
        Map<String, Object> before = nodes.get(nodeId);
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("id", nodeId);
        node.put("labels", new TreeMap<>(report.labels()));
        node.put("capabilities", report.capabilities());
        node.put("version", report.version());
        node.put("registered_at", before == null ? now.toString() : before.get("registered_at"));
        node.put("last_seen", now.toString());
        node.put("tasks", report.tasks());
        nodes.put(nodeId, node);
        store.put(NAMESPACE, nodeId, JSON.writeValueAsString(node));
        if (before == null) LOG.info("edge node '{}' registered with labels {}", nodeId, report.labels());

        List<Map<String, Object>> assigned = new ArrayList<>();
        for (Assignment a : assignments) {
            if (!a.matches(report.labels())) continue;
            String text = Files.readString(a.file(), StandardCharsets.UTF_8);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", a.id());
            m.put("format", format(a.file()));
            m.put("pipeline", text);
            m.put("sha256", sha256(text));
            assigned.add(m);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("node", nodeId);
        answer.put("heartbeat_ms", heartbeatMs);
        answer.put("assignments", assigned);
        return answer;
    }

    /** The SHA-256 of a pipeline's text, so a node can tell whether its copy is the one assigned. */
    public static String sha256(String text) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String format(Path file) {
        String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".json") ? "json" : n.endsWith(".toml") ? "toml" : "yaml";
    }

    /** Every node with its health and the tasks assigned to it, by id. */
    public synchronized List<Map<String, Object>> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String id : nodes.keySet()) out.add(view(id));
        return out;
    }

    /** One node, or null when no node of that id ever reported. */
    public synchronized Map<String, Object> get(String id) {
        return nodes.containsKey(id) ? view(id) : null;
    }

    private Map<String, Object> view(String id) {
        Map<String, Object> node = new LinkedHashMap<>(nodes.get(id));
        Instant seen = Instant.parse((String) node.get("last_seen"));
        long silentMs = clock.millis() - seen.toEpochMilli();
        node.put("health", silentMs <= 3 * heartbeatMs ? "healthy" : "unreachable");
        node.put("silent_ms", silentMs);
        @SuppressWarnings("unchecked") // labels are written as a map of strings
        Map<String, String> labels = (Map<String, String>) node.get("labels");
        List<String> assigned = new ArrayList<>();
        for (Assignment a : assignments) if (a.matches(labels)) assigned.add(a.id());
        node.put("assigned", assigned);
        return node;
    }

    /** The tasks assigned by label selectors. */
    public List<Assignment> assignments() {
        return assignments;
    }

    public long heartbeatMs() {
        return heartbeatMs;
    }
}
