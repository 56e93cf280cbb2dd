package io.dataflare.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.config.ConfigNode;
import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.config.ListNode;
import io.dataflare.engine.config.MapNode;
import io.dataflare.engine.config.Problem;
import io.dataflare.engine.config.ScalarNode;
import io.dataflare.engine.config.Substitution;
import io.dataflare.engine.host.Grants;
import io.dataflare.server.task.RawPipeline;
import io.dataflare.server.task.TaskSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the server's config file (YAML; JSON and TOML by extension):
 *
 * <pre>{@code
 * server:                     # all optional; command-line options win
 *   port: 8080
 *   bind: 127.0.0.1
 *   state: .dataflare/state   # a directory, or jdbc:sqlite:FILE / jdbc:postgresql://... / memory:
 *   token: ${secret:api_token}
 *   max_request_bytes: 16777216
 *   plugins: [more-plugins]   # or { folders: [more-plugins], require_signed: true, trusted_keys: [keys] }
 *   watch_plugins: true       # running tasks follow newer plugin versions
 *   audit_log: audit.log      # default: audit.log in the state directory
 *   audit_max_bytes: 67108864 # rotate beyond 64 MiB
 *   workflow_history_retention_days: 90   # delete finished executions' histories after 90 days (default: keep)
 *   tls: { cert: cert.pem, key: key.pem }      # or { keystore: server.p12, password: ${secret:ks} }
 *   grants:                   # per plugin id, what its stages may be granted (beyond log and state)
 *     http-get: [http:api.example.com]
 * plugins: { require_signed: true }   # server.plugins may also be written here (both add up)
 * auth:                       # optional: more tokens than the admin one, JWTs, rate limits
 *   tokens:
 *     - { name: ci, token: ${secret:ci_token}, role: operator, tasks: [etl-*] }
 *     - { name: grafana, token_sha256: 9f86d0..., role: viewer, rate_limit: { per_second: 5, burst: 10 } }
 *   jwt: { jwks: jwks.json, issuer: https://idp.example.com, audience: dataflare, role_claim: role }
 *   rate_limits: { default: { per_second: 50, burst: 100 }, viewer: { per_second: 10, burst: 20 } }
 * tasks:
 *   orders:
 *     enabled: true           # start it when the server first creates it
 *     file: pipelines/orders.yaml
 *   events:
 *     pipeline: { sources: ..., sinks: ... }
 * }</pre>
 *
 * Every problem is reported with its file, line and column. Relative paths are relative to the file.
 */
public final class ServerConfigFile {
    static final List<String> TOP = List.of("server", "plugins", "auth", "tasks", "edge");
    static final List<String> EDGE = List.of("heartbeat_ms", "tasks");
    static final List<String> EDGE_TASK = List.of("selector", "file", "description", "plugins");
    static final List<String> SERVER = List.of(
            "port",
            "bind",
            "state",
            "token",
            "max_request_bytes",
            "plugins",
            "watch_plugins",
            "tls",
            "grants",
            "audit_log",
            "audit_max_bytes",
            "workflow_history_retention_days");
    static final List<String> PLUGINS = List.of("folders", "require_signed", "trusted_keys");
    static final List<String> TLS = List.of("cert", "key", "keystore", "password");
    static final List<String> TASK = List.of("enabled", "pipeline", "file", "description");

    private ServerConfigFile() {}

    /** Reads {@code file} into {@code config}, with {@code ${ENV}} and {@code ${secret:...}} from {@code substitution}. */
    public static void read(Path file, Substitution substitution, ServerConfig config) {
        MapNode root = new ConfigReader(substitution).readFile(file);
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InvalidConfigException(
                    io.dataflare.engine.config.Location.of(file.toString()), "cannot read: " + e.getMessage());
        }
        JsonNode raw = RawPipeline.tree(
                text, ConfigReader.Format.forFile(file.toString()).name());
        Path dir = file.toAbsolutePath().normalize().getParent();
        List<Problem> problems = new ArrayList<>();
        keys(root, TOP, "the server config", problems);
        config.file = file;
        config.substitution = substitution;
        if (root.get("server") instanceof MapNode server) {
            server(server, dir, config, problems);
        } else if (root.get("server") != null) {
            problems.add(new Problem(root.get("server").location(), "'server' must be a map"));
        }
        if (root.has("plugins")) plugins(root.get("plugins"), dir, config, problems);
        if (root.get("auth") instanceof MapNode auth) {
            config.auth = AuthConfigFile.read(auth, dir, problems);
        } else if (root.get("auth") != null) {
            problems.add(
                    new Problem(root.get("auth").location(), "'auth' must be a map (tokens:, jwt:, rate_limits:)"));
        }
        if (root.get("tasks") instanceof MapNode tasks) {
            for (MapNode.Entry e : tasks.entries()) {
                task(e, raw.path("tasks").path(e.key()).path("pipeline"), dir, config, problems);
            }
        } else if (root.get("tasks") != null) {
            problems.add(new Problem(root.get("tasks").location(), "'tasks' must be a map of task ids to tasks"));
        }
        if (root.get("edge") instanceof MapNode edge) {
            edge(edge, dir, config, problems);
        } else if (root.get("edge") != null) {
            problems.add(new Problem(root.get("edge").location(), "'edge' must be a map (heartbeat_ms:, tasks:)"));
        }
        if (!problems.isEmpty()) throw new InvalidConfigException(problems);
    }

    /** {@code edge:}: how often nodes report, and the tasks assigned to them by label selector. */
    private static void edge(MapNode m, Path dir, ServerConfig c, List<Problem> problems) {
        keys(m, EDGE, "edge", problems);
        if (m.has("heartbeat_ms"))
            c.edgeHeartbeatMs = number(m.get("heartbeat_ms"), "heartbeat_ms", 100, 3_600_000, problems);
        if (!m.has("tasks")) return;
        if (!(m.get("tasks") instanceof MapNode tasks)) {
            problems.add(new Problem(m.get("tasks").location(), "'edge.tasks' must be a map of task ids to tasks"));
            return;
        }
        for (MapNode.Entry e : tasks.entries()) {
            if (!io.dataflare.server.task.TaskSpec.validId(e.key())) {
                problems.add(new Problem(
                        e.keyLocation(),
                        "edge task id '" + e.key() + "' may use only letters, digits, '-', '_' and '.' (at most 64)"));
                continue;
            }
            if (!(e.value() instanceof MapNode t)) {
                problems.add(new Problem(
                        e.value().location(),
                        "edge task '" + e.key() + "' must be a map with 'selector:' and 'file:'"));
                continue;
            }
            keys(t, EDGE_TASK, "edge task '" + e.key() + "'", problems);
            java.util.Map<String, String> selector = new java.util.LinkedHashMap<>();
            if (t.get("selector") instanceof MapNode sel) {
                for (MapNode.Entry s : sel.entries()) {
                    String v = string(s.value(), "selector." + s.key(), problems);
                    if (v != null) selector.put(s.key(), v);
                }
            } else if (t.has("selector")) {
                problems.add(new Problem(
                        t.get("selector").location(), "'selector' must be a map of labels (e.g. { site: shop-1 })"));
            }
            if (!t.has("file")) {
                problems.add(
                        new Problem(e.keyLocation(), "edge task '" + e.key() + "' needs 'file:' (a pipeline file)"));
                continue;
            }
            Path f = path(t.get("file"), "file", dir, problems);
            if (f != null && !Files.isRegularFile(f))
                problems.add(new Problem(t.get("file").location(), "pipeline file " + f + " does not exist"));
            else if (f != null) {
                List<String> plugins = new ArrayList<>();
                if (t.has("plugins")) {
                    ConfigNode pn = t.get("plugins");
                    for (ConfigNode item : pn instanceof ListNode l ? l.items() : List.of(pn)) {
                        String name = string(item, "plugins", problems);
                        if (name != null) plugins.add(name);
                    }
                }
                c.edgeTasks.add(new io.dataflare.server.node.EdgeNodes.Assignment(
                        e.key(),
                        selector,
                        f,
                        null,
                        io.dataflare.server.node.EdgeNodes.formatOf(f),
                        plugins,
                        io.dataflare.server.node.EdgeNodes.CONFIG));
            }
        }
    }

    private static void server(MapNode m, Path dir, ServerConfig c, List<Problem> problems) {
        keys(m, SERVER, "server", problems);
        if (m.has("port")) c.port = (int) number(m.get("port"), "port", 0, 65535, problems);
        if (m.has("bind")) c.bind = string(m.get("bind"), "bind", problems);
        if (m.has("state")) {
            String s = string(m.get("state"), "state", problems);
            if (s != null)
                c.state = s.contains(":") && !s.startsWith("file:")
                        ? s
                        : dir.resolve(s.replaceFirst("^file:", "")).toString();
        }
        if (m.has("token")) c.token = string(m.get("token"), "token", problems);
        if (m.has("max_request_bytes"))
            c.maxRequestBytes = number(m.get("max_request_bytes"), "max_request_bytes", 1024, 1L << 31, problems);
        if (m.has("workflow_history_retention_days"))
            c.workflowHistoryRetentionDays = (int) number(
                    m.get("workflow_history_retention_days"), "workflow_history_retention_days", 1, 36_500, problems);
        if (m.has("plugins")) plugins(m.get("plugins"), dir, c, problems);
        if (m.get("watch_plugins") instanceof ScalarNode s && s.value() instanceof Boolean b) c.watchPlugins = b;
        else if (m.has("watch_plugins"))
            problems.add(new Problem(m.get("watch_plugins").location(), "'watch_plugins' must be true or false"));
        if (m.get("tls") instanceof MapNode tls) {
            keys(tls, TLS, "tls", problems);
            if (tls.has("cert")) c.tlsCert = path(tls.get("cert"), "cert", dir, problems);
            if (tls.has("key")) c.tlsKey = path(tls.get("key"), "key", dir, problems);
            if (tls.has("keystore")) c.keystore = path(tls.get("keystore"), "keystore", dir, problems);
            if (tls.has("password")) c.keystorePassword = string(tls.get("password"), "password", problems);
            if ((c.tlsCert == null) != (c.tlsKey == null))
                problems.add(new Problem(tls.location(), "tls needs both 'cert' and 'key'"));
        } else if (m.has("tls")) {
            problems.add(new Problem(
                    m.get("tls").location(),
                    "'tls' must be a map: { cert: FILE, key: FILE } or { keystore: FILE, password: ... }"));
        }
        if (m.has("grants")) grants(m.get("grants"), c, problems);
        if (m.has("audit_log")) c.auditLog = path(m.get("audit_log"), "audit_log", dir, problems);
        if (m.has("audit_max_bytes"))
            c.auditMaxBytes = number(m.get("audit_max_bytes"), "audit_max_bytes", 4096, Long.MAX_VALUE, problems);
    }

    /**
     * {@code plugins:} under {@code server:}, or at the top of the file (the same settings: plugin folders, or
     * {@code {folders, require_signed, trusted_keys}}); given in both places, folders and keys add up.
     */
    private static void plugins(ConfigNode n, Path dir, ServerConfig c, List<Problem> problems) {
        if (n instanceof MapNode plugins) {
            keys(plugins, PLUGINS, "plugins", problems);
            if (plugins.has("folders")) c.pluginDirs.addAll(paths(plugins.get("folders"), "folders", dir, problems));
            if (plugins.has("trusted_keys"))
                c.trustedKeyDirs.addAll(paths(plugins.get("trusted_keys"), "trusted_keys", dir, problems));
            if (plugins.get("require_signed") instanceof ScalarNode s && s.value() instanceof Boolean b)
                c.requireSignedPlugins |= b;
            else if (plugins.has("require_signed"))
                problems.add(new Problem(
                        plugins.get("require_signed").location(), "'require_signed' must be true or false"));
        } else {
            c.pluginDirs.addAll(paths(n, "plugins", dir, problems));
        }
    }

    /** {@code grants:}: plugin id to a list of capabilities, each entry that is not one reported by name. */
    private static void grants(ConfigNode n, ServerConfig c, List<Problem> problems) {
        if (!(n instanceof MapNode m)) {
            problems.add(new Problem(
                    n.location(),
                    "'grants' must be a map of plugin ids to lists of capabilities"
                            + " (e.g. grants: { http-get: [http:api.example.com] })"));
            return;
        }
        for (MapNode.Entry e : m.entries()) {
            List<ConfigNode> items = e.value() instanceof ListNode l ? l.items() : List.of(e.value());
            List<String> capabilities = new ArrayList<>();
            for (ConfigNode item : items) {
                if (!(item instanceof ScalarNode s && s.value() instanceof String str && !str.isBlank())) {
                    problems.add(new Problem(
                            item.location(),
                            "grants of plugin '" + e.key() + "': each entry must be a capability, found "
                                    + item.describe()));
                    continue;
                }
                try {
                    Grants.of(List.of(str.trim()));
                    capabilities.add(str.trim());
                } catch (IllegalArgumentException ex) {
                    problems.add(
                            new Problem(item.location(), "grants of plugin '" + e.key() + "': " + ex.getMessage()));
                }
            }
            c.grant(e.key(), capabilities);
        }
    }

    private static void task(MapNode.Entry e, JsonNode rawPipeline, Path dir, ServerConfig c, List<Problem> problems) {
        if (!TaskSpec.validId(e.key())) {
            problems.add(new Problem(
                    e.keyLocation(),
                    "task id '" + e.key() + "' may use only letters, digits, '-', '_' and '.' (at most 64)"));
            return;
        }
        if (!(e.value() instanceof MapNode m)) {
            problems.add(new Problem(
                    e.value().location(), "task '" + e.key() + "' must be a map with 'pipeline:' or 'file:'"));
            return;
        }
        keys(m, TASK, "task '" + e.key() + "'", problems);
        boolean enabled = false;
        if (m.get("enabled") instanceof ScalarNode s && s.value() instanceof Boolean b) enabled = b;
        else if (m.has("enabled"))
            problems.add(new Problem(m.get("enabled").location(), "'enabled' must be true or false"));
        if (m.has("pipeline") == m.has("file")) {
            problems.add(new Problem(
                    e.keyLocation(),
                    "task '" + e.key() + "' needs either 'pipeline:' (inline) or 'file:' (a pipeline file)"));
            return;
        }
        if (m.get("pipeline") instanceof MapNode p) {
            c.tasks.add(new ServerConfig.TaskEntry(
                    e.key(), enabled, p, RawPipeline.json(rawPipeline), null, e.keyLocation()));
        } else if (m.has("pipeline")) {
            problems.add(new Problem(m.get("pipeline").location(), "'pipeline' must be a map (the pipeline)"));
        } else {
            Path f = path(m.get("file"), "file", dir, problems);
            if (f != null && !Files.isRegularFile(f))
                problems.add(new Problem(m.get("file").location(), "pipeline file " + f + " does not exist"));
            else if (f != null)
                c.tasks.add(new ServerConfig.TaskEntry(e.key(), enabled, null, null, f, e.keyLocation()));
        }
    }

    static void keys(MapNode m, List<String> allowed, String what, List<Problem> problems) {
        for (String k : m.keys()) {
            if (!allowed.contains(k)) {
                problems.add(new Problem(
                        m.keyLocation(k),
                        "'" + k + "' is not a key of " + what + " (keys: " + String.join(", ", allowed) + ")"));
            }
        }
    }

    static String string(ConfigNode n, String key, List<Problem> problems) {
        if (n instanceof ScalarNode s
                && s.value() != null
                && !(s.value() instanceof Boolean)
                && !String.valueOf(s.value()).isBlank()) {
            return String.valueOf(s.value());
        }
        problems.add(new Problem(n.location(), "'" + key + "' must be a non-empty string"));
        return null;
    }

    /** A folder or a list of them, relative to {@code dir}. */
    private static List<Path> paths(ConfigNode n, String key, Path dir, List<Problem> problems) {
        List<Path> out = new ArrayList<>();
        for (ConfigNode item : n instanceof ListNode l ? l.items() : List.of(n)) {
            String p = string(item, key, problems);
            if (p != null) out.add(dir.resolve(p));
        }
        return out;
    }

    static Path path(ConfigNode n, String key, Path dir, List<Problem> problems) {
        String s = string(n, key, problems);
        return s == null ? null : dir.resolve(s).normalize();
    }

    static long number(ConfigNode n, String key, long min, long max, List<Problem> problems) {
        if (n instanceof ScalarNode s && s.value() instanceof Long l && l >= min && l <= max) return l;
        if (n instanceof ScalarNode s && s.value() instanceof String str) {
            try {
                long l = Long.parseLong(str.trim());
                if (l >= min && l <= max) return l;
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        problems.add(new Problem(n.location(), "'" + key + "' must be a whole number from " + min + " to " + max));
        return min;
    }
}
