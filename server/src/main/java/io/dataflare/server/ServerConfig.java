package io.dataflare.server;

import io.dataflare.engine.config.Location;
import io.dataflare.engine.config.MapNode;
import io.dataflare.engine.config.Substitution;
import io.dataflare.engine.host.Grants;
import io.dataflare.engine.pipeline.GrantPolicy;
import io.dataflare.server.audit.AuditLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code dataflare serve} is told: from its config file ({@code server:} and {@code tasks:}), then
 * its command-line options, which win.
 */
public final class ServerConfig {
    /** The default port. */
    public static final int DEFAULT_PORT = 8080;
    /** The default cap on request bodies: 16 MiB. */
    public static final long DEFAULT_MAX_REQUEST_BYTES = 16L * 1024 * 1024;

    /**
     * A task the config file declares: its pipeline inline ({@code pipeline:}) or in a file ({@code file:}).
     *
     * @param pipeline the inline pipeline as read (located in the config file), or null
     * @param rawJson  the inline pipeline as written (unsubstituted), as JSON text, or null
     * @param file     the pipeline file, or null
     * @param at       where the task is declared
     */
    public record TaskEntry(String id, boolean enabled, MapNode pipeline, String rawJson, Path file, Location at) {}

    String bind = "127.0.0.1";
    int port = DEFAULT_PORT;
    String state = ".dataflare/state";
    String token;
    io.dataflare.server.access.AuthSettings auth = io.dataflare.server.access.AuthSettings.NONE;
    long maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
    /** Days a finished workflow execution's history is kept (null: for ever). */
    Integer workflowHistoryRetentionDays;

    Path tlsCert;
    Path tlsKey;
    Path keystore;
    String keystorePassword;
    boolean watchPlugins = true;
    final List<Path> pluginDirs = new ArrayList<>();
    boolean requireSignedPlugins;
    Path auditLog;
    long auditMaxBytes = AuditLog.DEFAULT_MAX_BYTES;
    final List<Path> trustedKeyDirs = new ArrayList<>();
    final List<TaskEntry> tasks = new ArrayList<>();
    /** Tasks for edge nodes, by label selector (the config file's {@code edge.tasks}). */
    final List<io.dataflare.server.node.EdgeNodes.Assignment> edgeTasks = new ArrayList<>();
    /** How often edge nodes report ({@code edge.heartbeat_ms}). */
    long edgeHeartbeatMs = 5000;

    final Map<String, Grants> grants = new LinkedHashMap<>();
    Path file;
    Substitution substitution;

    /** The defaults: loopback, port 8080, state in {@code .dataflare/state}, no TLS, plugin folders watched, no tasks. */
    public static ServerConfig defaults() {
        return new ServerConfig();
    }

    /** The tasks assigned to edge nodes by label selectors. */
    public List<io.dataflare.server.node.EdgeNodes.Assignment> edgeTasks() {
        return List.copyOf(edgeTasks);
    }

    public long edgeHeartbeatMs() {
        return edgeHeartbeatMs;
    }

    public ServerConfig bind(String address) {
        this.bind = address;
        return this;
    }

    public ServerConfig port(int p) {
        this.port = p;
        return this;
    }

    /** A state directory, or a state store URL ({@code jdbc:...}, {@code memory:}). */
    public ServerConfig state(String spec) {
        this.state = spec;
        return this;
    }

    /** Named tokens, JWT checking and rate limits (the config file's {@code auth:}). */
    public ServerConfig auth(io.dataflare.server.access.AuthSettings settings) {
        this.auth = settings;
        return this;
    }

    public io.dataflare.server.access.AuthSettings auth() {
        return auth;
    }

    /** The API token (otherwise {@code DATAFLARE_TOKEN}, the state store's, or a generated one). */
    public ServerConfig token(String t) {
        this.token = t;
        return this;
    }

    /** Finished workflow executions older than {@code days} lose their history (null: kept for ever). */
    public ServerConfig workflowHistoryRetentionDays(Integer days) {
        this.workflowHistoryRetentionDays = days;
        return this;
    }

    public ServerConfig maxRequestBytes(long bytes) {
        this.maxRequestBytes = bytes;
        return this;
    }

    public ServerConfig tls(Path cert, Path key) {
        this.tlsCert = cert;
        this.tlsKey = key;
        return this;
    }

    public ServerConfig keystore(Path ks, String password) {
        this.keystore = ks;
        this.keystorePassword = password;
        return this;
    }

    /** Whether the plugin folders are watched (running tasks then follow newer plugin versions). */
    public ServerConfig watchPlugins(boolean watch) {
        this.watchPlugins = watch;
        return this;
    }

    /**
     * Grants plugin {@code pluginId} the capabilities {@code capabilities} (beyond the plugin-local ones): its
     * stages in tasks may hold these or narrower ones, and a stage that lists none gets these.
     *
     * @throws IllegalArgumentException naming a capability that is not one {@link Grants} knows
     */
    public ServerConfig grant(String pluginId, List<String> capabilities) {
        grants.put(pluginId, Grants.of(capabilities));
        return this;
    }

    /** What tasks' stages may be granted: per plugin id, what {@code server.grants} grants it. */
    public GrantPolicy grantPolicy() {
        return GrantPolicy.perPlugin(grants);
    }

    public String bind() {
        return bind;
    }

    public boolean watchPlugins() {
        return watchPlugins;
    }

    /** The config file's plugin folders ({@code server.plugins}). */
    public List<Path> pluginDirs() {
        return List.copyOf(pluginDirs);
    }

    /** Whether plugin files must be signed by a trusted key ({@code server.plugins.require_signed}). */
    public boolean requireSignedPlugins() {
        return requireSignedPlugins;
    }

    public ServerConfig requireSignedPlugins(boolean require) {
        this.requireSignedPlugins = require;
        return this;
    }

    /** The config file's trusted keys folders ({@code server.plugins.trusted_keys}). */
    public List<Path> trustedKeyDirs() {
        return List.copyOf(trustedKeyDirs);
    }

    /** The audit log's file ({@code server.audit_log}); by default {@code audit.log} in a state directory. */
    public ServerConfig auditLog(Path file) {
        this.auditLog = file;
        return this;
    }

    /** The size beyond which the audit log rotates ({@code server.audit_max_bytes}). */
    public ServerConfig auditMaxBytes(long bytes) {
        this.auditMaxBytes = bytes;
        return this;
    }

    /**
     * The audit log's file: {@code server.audit_log}, else {@code audit.log} in the state directory; null when
     * the state is kept elsewhere (a database, memory) and no file is set.
     */
    public Path auditLogFile() {
        if (auditLog != null) return auditLog;
        if (state.startsWith("jdbc:") || state.startsWith("memory:")) return null;
        return Path.of(state.replaceFirst("^file:", "")).resolve("audit.log");
    }

    public long auditMaxBytes() {
        return auditMaxBytes;
    }

    public String state() {
        return state;
    }

    /** The declared tasks. */
    public List<TaskEntry> tasks() {
        return List.copyOf(tasks);
    }
}
