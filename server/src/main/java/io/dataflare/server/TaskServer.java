package io.dataflare.server;

import io.dataflare.engine.Engine;
import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.config.Problem;
import io.dataflare.engine.config.SecretResolver;
import io.dataflare.engine.config.Substitution;
import io.dataflare.engine.plugin.PluginEntry;
import io.dataflare.engine.plugin.PluginEvent;
import io.dataflare.engine.plugin.sign.PluginTrust;
import io.dataflare.engine.state.EncryptionKeys;
import io.dataflare.engine.state.StateEncryption;
import io.dataflare.engine.state.StateStore;
import io.dataflare.engine.state.StateStores;
import io.dataflare.server.audit.ServerAudit;
import io.dataflare.server.http.ApiServer;
import io.dataflare.server.http.Auth;
import io.dataflare.server.http.Tls;
import io.dataflare.server.io.Builtins;
import io.dataflare.server.node.EdgeNodes;
import io.dataflare.server.task.DeclaredTask;
import io.dataflare.server.task.TaskCompiler;
import io.dataflare.server.task.TaskConflictException;
import io.dataflare.server.task.TaskManager;
import io.dataflare.server.task.TaskSpec;
import io.dataflare.server.workflow.ServerWorkflows;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running task server: the engine with the built-in {@code push} and {@code memory} components, the
 * tasks (kept in the state store), and the HTTP API. {@link #close()} shuts it down gracefully: running tasks
 * stop at a checkpoint, their sinks flushed, and the next start resumes them.
 */
public final class TaskServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TaskServer.class);
    /** The state store namespace of the server's own settings. */
    static final String NAMESPACE = "server";

    static final String TOKEN_KEY = "token-sha256";

    private final Engine engine;
    private final StateStore store;
    private final TaskManager tasks;
    private final ServerWorkflows workflows;
    private final ApiServer api;
    private final ServerAudit audit;
    private final String url;
    private boolean closed;

    private TaskServer(
            Engine engine,
            StateStore store,
            TaskManager tasks,
            ServerWorkflows workflows,
            ApiServer api,
            ServerAudit audit,
            String url) {
        this.engine = engine;
        this.store = store;
        this.tasks = tasks;
        this.workflows = workflows;
        this.api = api;
        this.audit = audit;
        this.url = url;
    }

    /**
     * An engine builder for a server: over {@code config}'s plugin folders (after {@code folders}), watching them
     * unless {@code config} says not to, requiring signed plugin files when it says so, with the meters
     * {@code /metrics} serves.
     */
    public static Engine.Builder engineBuilder(ServerConfig config, List<Path> folders) {
        Engine.Builder b = Engine.builder().meters(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        for (Path p : folders) b.pluginDirectory(p);
        for (Path p : config.pluginDirs()) b.pluginDirectory(p);
        PluginTrust trust = new PluginTrust(config.requireSignedPlugins(), config.trustedKeyDirs());
        b.registry(r -> r.trust(trust));
        // Running tasks' processors switch to newer plugin versions at a batch boundary, as with run --watch-plugins.
        if (config.watchPlugins()) b.watchPlugins();
        return b;
    }

    /**
     * Starts a server over {@code engine} (which it closes when it stops; its meters must be a
     * {@link PrometheusMeterRegistry}, which {@code /metrics} serves). A token it generates is printed once on
     * {@code err}.
     *
     * @throws InvalidConfigException when a declared task's pipeline does not validate (every problem located)
     */
    public static TaskServer start(ServerConfig config, Engine engine, PrintWriter err) {
        return start(config, engine, System::getenv, SecretResolver.standard(System.getenv(), null), err);
    }

    /**
     * The state store, encrypting with the keys of {@code DATAFLARE_ENCRYPTION_KEY} / {@code _FILE} when set.
     *
     * @throws io.dataflare.engine.state.StateIntegrityException when the state is encrypted and no key (or not its
     *                                                           key) is set
     * @throws IllegalArgumentException                          when a key is malformed (naming it)
     */
    private static StateStore openState(ServerConfig config, Function<String, String> env) {
        EncryptionKeys keys = EncryptionKeys.fromEnvironment(env);
        StateStore raw = StateStores.open(config.state);
        try {
            return StateEncryption.protect(raw, keys);
        } catch (RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** As {@link #start(ServerConfig, Engine, PrintWriter)}, with the environment and secrets given (tests). */
    public static TaskServer start(
            ServerConfig config, Engine engine, Function<String, String> env, SecretResolver secrets, PrintWriter err) {
        if (!(engine.meters() instanceof PrometheusMeterRegistry meters)) {
            // The tasks' runs are the engine's: /metrics can only show them from the engine's registry.
            throw new IllegalArgumentException(
                    "the task server serves the engine's metrics: build the engine with a PrometheusMeterRegistry"
                            + " (Engine.builder().meters(...))");
        }
        TaskCompiler compiler = new TaskCompiler(engine, env, secrets, config.grantPolicy());
        SslContextFactory.Server tls = tls(config);
        StateStore store = openState(config, env);
        ServerAudit audit = ServerAudit.off();
        try {
            audit = audit(config, err);
            TaskManager tasks = new TaskManager(engine, compiler, store);
            audit.record("server.started", store.describe(), "ok", null, null);
            recordPlugins(engine, audit);
            engine.plugins().addListener(audit::plugin);
            tasks.catalog().onStateChange(audit::taskState);
            engine.plugins()
                    .register(Builtins.plugin(tasks.catalog(), engine.plugins().engineVersion()));
            List<DeclaredTask> declared = declare(config, compiler);
            Auth auth = new Auth(tokenHash(config, env, store, err), config.auth());
            tasks.boot(declared);
            // relative plugin files and pipeline: files of workflow definitions resolve against the working directory
            ServerWorkflows workflows =
                    new ServerWorkflows(engine, store, meters, Path.of("").toAbsolutePath());
            workflows.startTasksWith(new ServerWorkflows.PipelineTasks() {
                @Override
                public boolean exists(String id) {
                    return tasks.catalog().exists(id);
                }

                @Override
                public String start(String id) {
                    return startScheduled(tasks, id);
                }
            });
            ApiServer api;
            try {
                workflows.boot();
                if (config.workflowHistoryRetentionDays != null)
                    workflows.retainHistory(
                            Duration.ofDays(config.workflowHistoryRetentionDays),
                            ServerWorkflows.RETENTION_SWEEP_EVERY);
                api = new ApiServer(
                                new ApiServer.Settings(config.bind, config.port, config.maxRequestBytes, tls),
                                tasks,
                                workflows,
                                engine.plugins(),
                                meters,
                                auth,
                                audit,
                                new EdgeNodes(
                                        store,
                                        config.edgeTasks(),
                                        engine.plugins().directories(),
                                        config.edgeHeartbeatMs(),
                                        java.time.Clock.systemUTC()))
                        .start();
            } catch (RuntimeException e) {
                closeQuietly(workflows);
                closeQuietly(tasks);
                throw e;
            }
            return new TaskServer(engine, store, tasks, workflows, api, audit, api.url(config.bind));
        } catch (RuntimeException e) {
            store.close();
            audit.close();
            throw e;
        }
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
    public String url() {
        return url;
    }

    public int port() {
        return api.port();
    }

    /** The engine the tasks run on (its plugins and meters). */
    public Engine engine() {
        return engine;
    }

    public TaskManager tasks() {
        return tasks;
    }

    public ServerWorkflows workflows() {
        return workflows;
    }

    public ApiServer api() {
        return api;
    }

    /** Where tasks are kept. */
    public String stateStore() {
        return store.describe();
    }

    /** Stops the tasks (drain, flush, final checkpoint), then the HTTP server, the engine and the store. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        closeQuietly(workflows);
        closeQuietly(tasks);
        try {
            api.close();
        } catch (RuntimeException e) {
            LOG.warn("the HTTP server did not stop cleanly: {}", e.getMessage());
        }
        engine.close();
        store.close();
        audit.record("server.stopped", null, "ok", null, null);
        audit.close();
    }

    /**
     * Starts the task {@code id} for a schedule's fire, as {@code POST /api/tasks/{id}/start} does: null when it
     * started, why not when it is still running (that fire is skipped); any other refusal is thrown.
     */
    private static String startScheduled(TaskManager tasks, String id) {
        try {
            tasks.lifecycle().start(id, false);
            return null;
        } catch (TaskConflictException e) {
            if (tasks.catalog().exists(id) && tasks.catalog().get(id).state().active())
                return "task '" + id + "' is still " + tasks.catalog().get(id).state();
            throw e;
        }
    }

    /** The audit log the config asks for (none when the state is not a directory and no file is set: said on err). */
    private static ServerAudit audit(ServerConfig config, PrintWriter err) {
        Path file = config.auditLogFile();
        if (file == null) {
            err.println(
                    "dataflare serve: no audit log: the state is not a directory; set server.audit_log to keep one");
            err.flush();
            return ServerAudit.off();
        }
        try {
            return ServerAudit.open(file, config.auditMaxBytes());
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the audit log " + file + ": " + e.getMessage(), e);
        }
    }

    /** The plugins the engine read before the server listened to its events. */
    private static void recordPlugins(Engine engine, ServerAudit audit) {
        for (PluginEntry e : engine.plugins().entries()) {
            if (e.file() == null) continue; // built in process: no file to audit
            PluginEvent.Kind kind = switch (e.state()) {
                case LOADED -> PluginEvent.Kind.LOADED;
                case UNRESOLVED -> PluginEvent.Kind.UNRESOLVED;
                case INCOMPATIBLE -> PluginEvent.Kind.INCOMPATIBLE;
                case FAILED, STALE -> PluginEvent.Kind.FAILED;
                default -> null;
            };
            if (kind == null) continue;
            String label = e.manifest() == null ? null : e.manifest().label();
            audit.plugin(PluginEvent.file(kind, label, e.file(), e.reason()));
        }
    }

    private static void closeQuietly(ServerWorkflows workflows) {
        try {
            workflows.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(TaskManager tasks) {
        try {
            tasks.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Compiles the config file's tasks; every problem of every task in one exception. */
    private static List<DeclaredTask> declare(ServerConfig config, TaskCompiler compiler) {
        List<DeclaredTask> out = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (ServerConfig.TaskEntry e : config.tasks) {
            try {
                if (e.pipeline() != null) {
                    Path dir = config.file.toAbsolutePath().normalize().getParent();
                    Substitution s = config.substitution;
                    TaskSpec spec = new TaskSpec(e.id(), "json", e.rawJson(), dir.toString(), config.file.toString());
                    out.add(new DeclaredTask(
                            spec, compiler.compile(e.id(), e.pipeline(), config.file.toString(), dir, s), e.enabled()));
                } else {
                    String text = Files.readString(e.file());
                    String format = ConfigReader.Format.forFile(e.file().toString())
                            .name()
                            .toLowerCase(java.util.Locale.ROOT);
                    TaskSpec spec = new TaskSpec(
                            e.id(),
                            format,
                            text,
                            e.file().toAbsolutePath().getParent().toString(),
                            e.file().toString());
                    out.add(new DeclaredTask(spec, compiler.compile(spec), e.enabled()));
                }
            } catch (InvalidConfigException ex) {
                problems.addAll(ex.problems());
            } catch (IOException ex) {
                problems.add(new Problem(e.at(), "cannot read " + e.file() + ": " + ex.getMessage()));
            }
        }
        if (!problems.isEmpty()) throw new InvalidConfigException(problems);
        return out;
    }

    /**
     * The token's hash: from {@code DATAFLARE_TOKEN}, else the config, else the one kept in the state store,
     * else a new token, printed once and kept (hashed) in the store.
     */
    private static String tokenHash(
            ServerConfig config, Function<String, String> env, StateStore store, PrintWriter err) {
        String token = env.apply("DATAFLARE_TOKEN");
        if (token == null || token.isBlank()) token = config.token;
        if (token != null && !token.isBlank()) return Auth.hash(token.trim());
        String kept = store.get(NAMESPACE, TOKEN_KEY).orElse(null);
        if (kept != null) return kept;
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String hash = Auth.hash(generated);
        store.put(NAMESPACE, TOKEN_KEY, hash);
        err.println("dataflare serve: generated an API token (shown only this once; its hash is kept in "
                + store.describe() + "):");
        err.println("  DATAFLARE_TOKEN=" + generated);
        err.flush();
        return hash;
    }

    private static SslContextFactory.Server tls(ServerConfig c) {
        if (c.tlsCert != null && c.keystore != null)
            throw new IllegalArgumentException("give either a TLS certificate and key, or a keystore, not both");
        if (c.tlsCert != null) return Tls.pem(c.tlsCert, c.tlsKey);
        if (c.keystore != null) return Tls.keystore(c.keystore, c.keystorePassword == null ? "" : c.keystorePassword);
        return null;
    }
}
