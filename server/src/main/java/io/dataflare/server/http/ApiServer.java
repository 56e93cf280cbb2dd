package io.dataflare.server.http;

import io.dataflare.engine.plugin.PluginRegistry;
import io.dataflare.server.audit.ServerAudit;
import io.dataflare.server.task.TaskException;
import io.dataflare.server.task.TaskManager;
import io.dataflare.server.workflow.ServerWorkflows;
import io.dataflare.server.workflow.WorkflowException;
import io.dataflare.workflow.queue.Approvals;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The HTTP API (Javalin on Jetty, virtual threads): the task server's routes, bearer-token auth on every route
 * but {@code /health}, a rate limit per caller, each route's permission ({@link RoutePermissions}) checked by
 * {@link Access}, mutating calls and authentication failures in the audit log ({@link RequestAudit}), JSON
 * errors (all answered by {@link ApiErrors}), a cap on request bodies, optional TLS, and request timings in the
 * metrics.
 */
public final class ApiServer implements AutoCloseable {
    /** Routes that need no token. */
    private static final List<String> OPEN = List.of("/health");

    /**
     * How the server listens.
     *
     * @param bind            the address (127.0.0.1 by default: loopback only)
     * @param port            the port (0: any free one)
     * @param maxRequestBytes the largest request body accepted (413 beyond)
     * @param tls             the TLS identity, or null for plain HTTP
     */
    public record Settings(String bind, int port, long maxRequestBytes, SslContextFactory.Server tls) {}

    private final Javalin app;
    private final List<String> routes = new ArrayList<>();
    private final boolean https;

    public ApiServer(
            Settings settings,
            TaskManager tasks,
            ServerWorkflows workflows,
            PluginRegistry plugins,
            PrometheusMeterRegistry meters,
            Auth auth) {
        this(settings, tasks, workflows, plugins, meters, auth, ServerAudit.off());
    }

    /** As the other constructor, recording mutating calls and authentication failures in {@code audit}. */
    public ApiServer(
            Settings settings,
            TaskManager tasks,
            ServerWorkflows workflows,
            PluginRegistry plugins,
            PrometheusMeterRegistry meters,
            Auth auth,
            ServerAudit audit) {
        this(settings, tasks, workflows, plugins, meters, auth, audit, null);
    }

    /** As the other constructors, answering edge nodes ({@code /api/nodes}) from {@code nodes} (null: none). */
    public ApiServer(
            Settings settings,
            TaskManager tasks,
            ServerWorkflows workflows,
            PluginRegistry plugins,
            PrometheusMeterRegistry meters,
            Auth auth,
            ServerAudit audit,
            io.dataflare.server.node.EdgeNodes nodes) {
        this.https = settings.tls() != null;
        String openApi = resource("openapi.json");
        TaskRoutes taskRoutes = new TaskRoutes(tasks);
        PluginRoutes pluginRoutes = new PluginRoutes(plugins, tasks.plugins());
        SchemaRoutes schemaRoutes = new SchemaRoutes(plugins);
        EventStream events = new EventStream(tasks);
        WorkflowRoutes workflowRoutes = new WorkflowRoutes(workflows);
        ScheduleRoutes scheduleRoutes = new ScheduleRoutes(workflows);
        ActivityRoutes activityRoutes = new ActivityRoutes(workflows.activities(), workflows);
        ApprovalRoutes approvalRoutes = new ApprovalRoutes(new Approvals(workflows.activities()));
        RequestAudit requests = new RequestAudit(audit);
        AuditRoutes auditRoutes = new AuditRoutes(audit);
        NodeRoutes nodeRoutes = new NodeRoutes(
                nodes != null
                        ? nodes
                        : new io.dataflare.server.node.EdgeNodes(
                                new io.dataflare.engine.state.MemoryStateStore(),
                                List.of(),
                                5000,
                                java.time.Clock.systemUTC()));
        RateLimiter limiter = new RateLimiter();
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;
            config.http.maxRequestSize = settings.maxRequestBytes();
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.jsonMapper(new JavalinJackson(Json.MAPPER, true));
            config.jetty.host = settings.bind();
            config.jetty.port = settings.port();
            if (settings.tls() != null) {
                config.jetty.addConnector((server, http) -> {
                    HttpConfiguration httpsConfig = new HttpConfiguration(http);
                    SecureRequestCustomizer secure = new SecureRequestCustomizer();
                    secure.setSniHostCheck(false); // clients may reach the server by IP address
                    httpsConfig.addCustomizer(secure);
                    ServerConnector c = new ServerConnector(
                            server,
                            new SslConnectionFactory(settings.tls(), "http/1.1"),
                            new HttpConnectionFactory(httpsConfig));
                    c.setHost(settings.bind());
                    c.setPort(settings.port());
                    return c;
                });
            }
            config.events.handlerAdded(meta -> {
                if (!meta.getHttpMethod().isHttpMethod()) return;
                String route = meta.getHttpMethod().name() + " " + meta.getPath();
                // every route says what it needs: one without a rule is a programming error, caught at start
                if (RoutePermissions.of(route) == null)
                    throw new IllegalStateException("route " + route + " has no entry in RoutePermissions");
                routes.add(route);
            });
            config.requestLogger.http((ctx, ms) -> Timer.builder("dataflare.http.requests")
                    .tag("method", ctx.method().name())
                    .tag("route", route(ctx))
                    .tag("status", Integer.toString(ctx.statusCode()))
                    .register(meters)
                    .record((long) (ms * 1000), TimeUnit.MICROSECONDS));

            var r = config.routes;
            r.before(ctx -> {
                requests.begin(ctx);
                if (OPEN.contains(ctx.path()) || ConsoleRoutes.isConsole(ctx.path())) return;
                Caller caller = auth.check(ctx);
                requests.authenticated(ctx, caller);
                limiter.acquire(caller);
            });
            r.beforeMatched(Access::authorize);
            r.after(requests::end);
            r.exception(TaskException.class, ApiErrors::task);
            r.exception(WorkflowException.class, ApiErrors::workflow);
            r.exception(RequestException.class, ApiErrors::request);
            r.exception(HttpResponseException.class, (e, ctx) -> ApiErrors.http(e, ctx, settings.maxRequestBytes()));
            r.exception(Exception.class, ApiErrors::unexpected);
            r.get("/health", ctx -> TaskRoutes.json(ctx, 200, Map.of("status", "ok")));
            r.get(
                    "/metrics",
                    ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                            .result(meters.scrape()));
            r.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
            r.get("/api/whoami", ApiServer::whoami);
            taskRoutes.register(r);
            r.get("/api/tasks/{id}/events", events::handle);
            workflowRoutes.register(r);
            scheduleRoutes.register(r);
            activityRoutes.register(r);
            approvalRoutes.register(r);
            pluginRoutes.register(r);
            schemaRoutes.register(r);
            auditRoutes.register(r);
            nodeRoutes.register(r);
            new ConsoleRoutes().register(r);
        });
    }

    /** Starts listening. */
    public ApiServer start() {
        app.start();
        return this;
    }

    /** The port it listens on. */
    public int port() {
        return app.port();
    }

    /** Its base URL, e.g. {@code http://127.0.0.1:8080}. */
    public String url(String bind) {
        String host = bind.contains(":") ? "[" + bind + "]" : bind;
        return (https ? "https" : "http") + "://" + host + ":" + port();
    }

    /** Every route as {@code METHOD /path} (for the OpenAPI document's test). */
    public List<String> routes() {
        return List.copyOf(routes);
    }

    @Override
    public void close() {
        app.stop();
    }

    /** Who the token names: its name, role, the tasks it may touch and the permissions it holds. */
    private static void whoami(Context ctx) {
        Caller c = Caller.of(ctx);
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("name", c.name());
        body.put("role", c.role().label());
        body.put("tasks", c.admin() ? List.of("*") : c.tasks().globs());
        List<String> permissions = new ArrayList<>();
        for (io.dataflare.server.access.Permission p : io.dataflare.server.access.Permission.values())
            if (c.role().may(p)) permissions.add(p.label());
        body.put("permissions", permissions);
        TaskRoutes.json(ctx, 200, body);
    }

    private static String route(Context ctx) {
        try {
            return ctx.endpoint().path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }

    /** The OpenAPI document (kept in sync with {@link #routes()} by a test). */
    static String resource(String name) {
        try (InputStream in = ApiServer.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
