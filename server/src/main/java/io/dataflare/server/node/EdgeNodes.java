package io.dataflare.server.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
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
    private static final String ASSIGNMENTS = "edge-assignments";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A task for the nodes whose labels include every label of {@code selector}.
     *
     * @param file     its pipeline file, sent to the nodes as written (variables are resolved on the node); null
     *                 for an assignment made through the API, which holds its text
     * @param pipeline the pipeline text of an assignment made through the API, else null (read from {@code file})
     * @param format   {@code yaml}, {@code json} or {@code toml}
     * @param plugins  plugin files (names in the central server's plugin folders) the node installs before it
     *                 runs the task
     * @param origin   {@code config} (the config file's {@code edge.tasks}) or {@code api}
     */
    public record Assignment(
            String id,
            Map<String, String> selector,
            Path file,
            String pipeline,
            String format,
            List<String> plugins,
            String origin) {
        public Assignment {
            selector = Map.copyOf(selector);
            plugins = List.copyOf(plugins);
        }

        /** An assignment of the config file: its pipeline is {@code file}. */
        public Assignment(String id, Map<String, String> selector, Path file) {
            this(id, selector, file, null, formatOf(file), List.of(), CONFIG);
        }

        boolean matches(Map<String, String> labels) {
            for (Map.Entry<String, String> e : selector.entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) return false;
            }
            return true;
        }

        String text() throws IOException {
            return pipeline != null ? pipeline : Files.readString(file, StandardCharsets.UTF_8);
        }
    }

    /** The origin of an assignment of the config file. */
    public static final String CONFIG = "config";
    /** The origin of an assignment made through the API. */
    public static final String API = "api";

    /** A plugin file name: no folder, nothing hidden. */
    private static final java.util.regex.Pattern PLUGIN_FILE =
            java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,199}");

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
    private final List<Assignment> configured;
    /** The assignments made through the API, by id (kept in the state store). */
    private final Map<String, Assignment> assigned = new TreeMap<>();

    private final List<Path> pluginDirs;
    private final PluginDigests digests = new PluginDigests();
    private final long heartbeatMs;
    private final Clock clock;
    private final Map<String, Map<String, Object>> nodes = new TreeMap<>();

    public EdgeNodes(StateStore store, List<Assignment> assignments, long heartbeatMs, Clock clock) {
        this(store, assignments, List.of(), heartbeatMs, clock);
    }

    /**
     * @param assignments the config file's assignments
     * @param pluginDirs  the plugin folders the plugins an assignment names are found in (later folders win)
     */
    public EdgeNodes(
            StateStore store, List<Assignment> assignments, List<Path> pluginDirs, long heartbeatMs, Clock clock) {
        this.store = store;
        this.configured = List.copyOf(assignments);
        this.pluginDirs = List.copyOf(pluginDirs);
        this.heartbeatMs = heartbeatMs;
        this.clock = clock;
        for (Map.Entry<String, String> e : store.list(ASSIGNMENTS).entrySet()) {
            try {
                JsonNode a = JSON.readTree(e.getValue());
                Map<String, String> selector = new LinkedHashMap<>();
                a.path("selector")
                        .properties()
                        .forEach(x -> selector.put(x.getKey(), x.getValue().asText()));
                List<String> plugins = new ArrayList<>();
                a.path("plugins").forEach(x -> plugins.add(x.asText()));
                assigned.put(
                        e.getKey(),
                        new Assignment(
                                e.getKey(),
                                selector,
                                null,
                                a.path("pipeline").asText(),
                                a.path("format").asText("yaml"),
                                plugins,
                                API));
            } catch (JsonProcessingException ex) {
                LOG.warn(
                        "edge assignment '{}': its saved record is not JSON, forgotten: {}",
                        e.getKey(),
                        ex.getMessage());
            }
        }
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

        List<Map<String, Object>> answered = new ArrayList<>();
        for (Assignment a : assignments()) {
            if (!a.matches(report.labels())) continue;
            String text = a.text();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", a.id());
            m.put("format", a.format());
            m.put("pipeline", text);
            m.put("sha256", sha256(text));
            if (!a.plugins().isEmpty()) {
                List<Map<String, Object>> plugins = new ArrayList<>();
                for (String name : a.plugins()) plugins.add(pluginView(name));
                m.put("plugins", plugins);
            }
            answered.add(m);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("node", nodeId);
        answer.put("heartbeat_ms", heartbeatMs);
        answer.put("assignments", answered);
        return answer;
    }

    /**
     * What a node needs to fetch and check a plugin file: {@code file}, {@code url} (the download route, relative to
     * the server), {@code size}, {@code sha256}, and {@code signature} (the text of its {@code .sig}, when the
     * central server has one); {@code error} instead when the file is no longer in the plugin folders.
     */
    private Map<String, Object> pluginView(String name) throws IOException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("file", name);
        Path f = findPlugin(name);
        if (f == null) {
            p.put("error", "the central server has no plugin file '" + name + "' in its plugin folders");
            return p;
        }
        p.put("url", "/api/nodes/plugins/" + name);
        p.put("size", Files.size(f));
        p.put("sha256", digests.sha256(f));
        Path sig = f.resolveSibling(name + ".sig");
        if (Files.isRegularFile(sig)) p.put("signature", Files.readString(sig, StandardCharsets.UTF_8));
        return p;
    }

    /** The plugin file {@code name} in the plugin folders (the last folder holding it), or null. */
    private Path findPlugin(String name) {
        if (!PLUGIN_FILE.matcher(name).matches() || name.endsWith(".sig") || name.endsWith(".sha256")) return null;
        Path found = null;
        for (Path d : pluginDirs) {
            Path f = d.resolve(name);
            if (Files.isRegularFile(f)) found = f;
        }
        return found;
    }

    /**
     * The plugin file {@code name} for a node to download: only a file some assignment names, from the plugin
     * folders; null otherwise.
     */
    public synchronized Path pluginFile(String name) {
        for (Assignment a : assignments()) if (a.plugins().contains(name)) return findPlugin(name);
        return null;
    }

    /**
     * Assigns (or replaces) the task {@code id} through the API, kept in the state store.
     *
     * @throws IllegalArgumentException when the id, selector, format, pipeline or a plugin name is not usable
     * @throws IllegalStateException    when the config file assigns a task of that id
     */
    public synchronized Assignment assign(
            String id, Map<String, String> selector, String format, String pipeline, List<String> plugins) {
        for (Assignment a : configured)
            if (a.id().equals(id))
                throw new IllegalStateException(
                        "edge task '" + id + "' is assigned by the server's config file (edge.tasks); change it there");
        if (!List.of("yaml", "json", "toml").contains(format))
            throw new IllegalArgumentException("'format' must be yaml, json or toml, found '" + format + "'");
        if (pipeline == null || pipeline.isBlank())
            throw new IllegalArgumentException("'pipeline' must be the pipeline's text (a non-empty string)");
        for (String name : plugins) {
            if (findPlugin(name) == null)
                throw new IllegalArgumentException("'plugins': no plugin file '" + name
                        + "' in the central server's plugin folders (a file name such as my-plugin-1.0.jar)");
        }
        Assignment a = new Assignment(id, selector, null, pipeline, format, plugins, API);
        Map<String, Object> saved = new LinkedHashMap<>();
        saved.put("selector", new TreeMap<>(selector));
        saved.put("format", format);
        saved.put("pipeline", pipeline);
        saved.put("plugins", plugins);
        saved.put("assigned_at", clock.instant().toString());
        try {
            store.put(ASSIGNMENTS, id, JSON.writeValueAsString(saved));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an assignment always converts to JSON", e);
        }
        assigned.put(id, a);
        LOG.info("edge task '{}' assigned to nodes with labels {}", id, selector);
        return a;
    }

    /**
     * Removes an assignment made through the API: nodes stop and remove the task at their next heartbeat.
     *
     * @return false when there is none of that id
     * @throws IllegalStateException when the config file assigns it
     */
    public synchronized boolean unassign(String id) {
        for (Assignment a : configured)
            if (a.id().equals(id))
                throw new IllegalStateException(
                        "edge task '" + id + "' is assigned by the server's config file (edge.tasks); change it there");
        if (assigned.remove(id) == null) return false;
        store.delete(ASSIGNMENTS, id);
        LOG.info("edge task '{}' unassigned", id);
        return true;
    }

    /** Every assignment as the API shows it: {@code id, origin, selector, format, plugins, sha256, nodes}. */
    public synchronized List<Map<String, Object>> describeAssignments() throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Assignment a : assignments()) out.add(describe(a));
        return out;
    }

    /** One assignment as the API shows it. */
    public synchronized Map<String, Object> describe(Assignment a) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("origin", a.origin());
        m.put("selector", new TreeMap<>(a.selector()));
        m.put("format", a.format());
        m.put("plugins", a.plugins());
        m.put("sha256", sha256(a.text()));
        List<String> on = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> n : nodes.entrySet()) {
            @SuppressWarnings("unchecked") // labels are written as a map of strings
            Map<String, String> labels = (Map<String, String>) n.getValue().get("labels");
            if (labels != null && a.matches(labels)) on.add(n.getKey());
        }
        m.put("nodes", on);
        return m;
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

    /** {@code yaml}, {@code json} or {@code toml}, by a pipeline file's extension. */
    public static String formatOf(Path file) {
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
        List<String> selected = new ArrayList<>();
        for (Assignment a : assignments()) if (a.matches(labels)) selected.add(a.id());
        node.put("assigned", selected);
        return node;
    }

    /** The tasks assigned by label selectors: the config file's, then those made through the API, by id. */
    public synchronized List<Assignment> assignments() {
        List<Assignment> out = new ArrayList<>(configured);
        out.addAll(assigned.values());
        return out;
    }

    public long heartbeatMs() {
        return heartbeatMs;
    }
}
