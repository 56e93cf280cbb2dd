package io.dataflare.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.pipeline.PipelineSchema;
import io.dataflare.server.io.Builtins;
import io.dataflare.server.io.TaskIo;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON Schemas (draft-07) for the files the server reads: the config file of {@code dataflare serve --config}
 * (its keys from {@link ServerConfigFile}'s and {@link AuthConfigFile}'s lists, so it offers no key they refuse;
 * a task's inline {@code pipeline:} checked as a pipeline) and pipelines with the server's built-ins.
 */
public final class ServerConfigSchema {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String REFERENCE = ".*\\$\\{.*";

    /** Built-ins for a schema: their options only, never a component made. */
    private static final TaskIo NO_IO = new TaskIo() {
        @Override
        public io.dataflare.server.io.PushInput input(String task, String stage) {
            throw new UnsupportedOperationException("a schema's built-ins run nothing");
        }

        @Override
        public io.dataflare.server.io.OutputBuffer output(String task, String stage) {
            throw new UnsupportedOperationException("a schema's built-ins run nothing");
        }
    };

    private ServerConfigSchema() {}

    /** The pipeline schema of tasks: {@code installed} plus the server's {@code push} and {@code memory}. */
    public static ObjectNode pipeline(List<LoadedPlugin> installed, String engineVersion) {
        List<LoadedPlugin> all = new ArrayList<>(installed);
        if (installed.stream().noneMatch(p -> p.manifest().getPluginId().equals(Builtins.PLUGIN_ID)))
            all.add(Builtins.plugin(NO_IO, engineVersion));
        return PipelineSchema.of(all);
    }

    /** The config file's schema, tasks' inline pipelines checked against {@code pipelineSchema}. */
    public static ObjectNode configFile(ObjectNode pipelineSchema) {
        ObjectNode root = F.objectNode();
        root.put("$schema", "http://json-schema.org/draft-07/schema#");
        root.put("$id", "https://dataflare.io/schema/server-config.json");
        root.put("title", "DataFlare server config (dataflare serve --config)");
        root.put("type", "object");
        ObjectNode pipeline = pipelineSchema.deepCopy();
        pipeline.remove(List.of("$schema", "$id"));
        root.putObject("definitions").set("pipeline", pipeline);
        ObjectNode props = F.objectNode();
        props.set("server", server());
        props.set("plugins", plugins());
        props.set("auth", auth());
        ObjectNode task = F.objectNode();
        task.set("enabled", bool("Start the task when the server first creates it."));
        task.set("pipeline", F.objectNode().put("$ref", "#/definitions/pipeline"));
        task.set("file", string("A pipeline file, relative to this file (instead of pipeline:)."));
        task.set("description", string("What the task does."));
        ObjectNode tasks = object("Tasks created at start, by task id.");
        tasks.set("additionalProperties", closed(task, ServerConfigFile.TASK, "a task"));
        props.set("tasks", tasks);
        props.set("edge", edge());
        return closedInto(root, props, ServerConfigFile.TOP, "the server config");
    }

    private static ObjectNode server() {
        ObjectNode p = F.objectNode();
        p.set("port", whole(0, 65535, "The port (0: any free one)."));
        p.set("bind", string("The address to listen on (127.0.0.1: loopback only)."));
        p.set("state", string("The state store: a directory (relative to this file) or a URL."));
        p.set("token", string("The admin token (use ${secret:...} or ${ENV})."));
        p.set("max_request_bytes", whole(1024, 1L << 31, "The largest request body."));
        p.set("plugins", plugins());
        p.set("watch_plugins", bool("Follow plugin files added, replaced or removed (default true)."));
        ObjectNode tls = F.objectNode();
        tls.set("cert", string("PEM certificate chain."));
        tls.set("key", string("PEM private key."));
        tls.set("keystore", string("A PKCS#12 keystore (instead of cert and key)."));
        tls.set("password", string("The keystore's password."));
        p.set("tls", closedInto(object("HTTPS."), tls, ServerConfigFile.TLS, "tls"));
        ObjectNode grants = object("Capabilities granted per plugin id, for every task.");
        ObjectNode list = F.objectNode();
        list.putArray("anyOf")
                .add(string(null))
                .add(F.objectNode().put("type", "array").set("items", string(null)));
        grants.set("additionalProperties", list);
        p.set("grants", grants);
        p.set("audit_log", string("The audit log file."));
        p.set("audit_max_bytes", whole(4096, Long.MAX_VALUE, "Size at which the audit log rotates."));
        p.set(
                "workflow_history_retention_days",
                whole(1, 36_500, "Days a finished workflow execution's history is kept (default: for ever)."));
        return closedInto(object("Server settings."), p, ServerConfigFile.SERVER, "server");
    }

    /** {@code plugins:}, under {@code server:} or at the top. */
    private static ObjectNode plugins() {
        ObjectNode plugins = F.objectNode();
        plugins.set("folders", paths("Plugin folders."));
        plugins.set("require_signed", bool("Load signed plugins only."));
        plugins.set("trusted_keys", paths("Folders of trusted publisher keys."));
        ObjectNode pluginsAny = F.objectNode().put("description", "Plugin folders, or a map with signing settings.");
        pluginsAny
                .putArray("anyOf")
                .add(paths(null))
                .add(closedInto(object(null), plugins, ServerConfigFile.PLUGINS, "plugins"));
        return pluginsAny;
    }

    /** {@code edge:}: how often edge nodes report, and the tasks assigned to them by label selector. */
    private static ObjectNode edge() {
        ObjectNode task = F.objectNode();
        ObjectNode selector = object("The labels a node must have, e.g. { site: shop-1 }.");
        selector.set("additionalProperties", string(null));
        task.set("selector", selector);
        task.set("file", string("The task's pipeline file, relative to this file."));
        task.set("description", string("What the task does."));
        task.set(
                "plugins",
                paths("Plugin files (names in this server's plugin folders) the nodes install before the task."));
        ObjectNode taskSchema = closedInto(object(null), task, ServerConfigFile.EDGE_TASK, "an edge task");
        taskSchema.putArray("required").add("file");
        ObjectNode tasks = object("Tasks for edge nodes, by task id.");
        tasks.set("additionalProperties", taskSchema);
        ObjectNode p = F.objectNode();
        p.set("heartbeat_ms", whole(100, 3_600_000, "How often nodes report (default 5000)."));
        p.set("tasks", tasks);
        return closedInto(object("Edge nodes managed by this server."), p, ServerConfigFile.EDGE, "edge");
    }

    private static ObjectNode auth() {
        ObjectNode token = F.objectNode();
        token.set("name", string("Who the token is (the audit log's who)."));
        token.set("token", string("The token, 16+ characters (use ${secret:...})."));
        token.set("token_sha256", string("The token's SHA-256, 64 hex digits.").put("pattern", "^[0-9a-fA-F]{64}$"));
        token.set("role", role());
        token.set("tasks", globs());
        token.set("rate_limit", rate());
        ObjectNode tokenSchema = closedInto(object(null), token, AuthConfigFile.TOKEN, "a token");
        tokenSchema.putArray("required").add("name").add("role");
        ObjectNode jwt = F.objectNode();
        jwt.set("jwks", string("A JWKS file."));
        jwt.set("public_key", string("A PEM public key."));
        jwt.set("issuer", string("The issuer tokens must have."));
        jwt.set("audience", string("The audience tokens must have."));
        jwt.set("name_claim", string("The claim naming the caller."));
        jwt.set("role_claim", string("The claim holding the role."));
        jwt.set("tasks_claim", string("The claim holding task patterns."));
        ObjectNode rates = object("Rate limits: default and per role.");
        ObjectNode rateProps = rates.putObject("properties");
        for (String k : List.of("default", "admin", "operator", "viewer")) rateProps.set(k, rate());
        rates.put("additionalProperties", false);
        ObjectNode p = F.objectNode();
        p.set("tokens", F.objectNode().put("type", "array").set("items", tokenSchema));
        p.set("jwt", closedInto(object("JWT bearer tokens."), jwt, AuthConfigFile.JWT, "jwt"));
        p.set("rate_limits", rates);
        return closedInto(object("Who may call the API."), p, AuthConfigFile.AUTH, "auth");
    }

    private static ObjectNode rate() {
        ObjectNode p = F.objectNode();
        p.set("per_second", whole(1, 1_000_000, "Requests per second."));
        p.set("burst", whole(1, 1_000_000, "Requests at once."));
        ObjectNode r = closedInto(object(null), p, AuthConfigFile.RATE, "a rate limit");
        r.putArray("required").add("per_second");
        return r;
    }

    private static ObjectNode role() {
        ObjectNode r = F.objectNode().put("description", "admin, operator or viewer.");
        r.putArray("anyOf")
                .add(F.objectNode()
                        .set("enum", F.arrayNode().add("admin").add("operator").add("viewer")))
                .add(reference());
        return r;
    }

    private static ObjectNode globs() {
        ObjectNode glob = string(null).put("pattern", "^[A-Za-z0-9._*?-]{1,64}$");
        ObjectNode g = F.objectNode().put("description", "Task id patterns the token may act on (default: all).");
        g.putArray("anyOf").add(glob).add(F.objectNode().put("type", "array").set("items", glob));
        return g;
    }

    private static ObjectNode paths(String description) {
        ObjectNode p = F.objectNode();
        if (description != null) p.put("description", description);
        p.putArray("anyOf")
                .add(string(null))
                .add(F.objectNode().put("type", "array").set("items", string(null)));
        return p;
    }

    private static ObjectNode object(String description) {
        ObjectNode o = F.objectNode().put("type", "object");
        if (description != null) o.put("description", description);
        return o;
    }

    private static ObjectNode string(String description) {
        ObjectNode s = F.objectNode().put("type", "string");
        if (description != null) s.put("description", description);
        return s;
    }

    private static ObjectNode reference() {
        return F.objectNode().put("type", "string").put("pattern", REFERENCE);
    }

    private static ObjectNode bool(String description) {
        ObjectNode b = F.objectNode().put("description", description);
        b.putArray("anyOf").add(F.objectNode().put("type", "boolean")).add(reference());
        return b;
    }

    private static ObjectNode whole(long min, long max, String description) {
        ObjectNode w = F.objectNode().put("description", description);
        ArrayNode any = w.putArray("anyOf");
        any.addObject().put("type", "integer").put("minimum", min).put("maximum", max);
        any.add(reference());
        return w;
    }

    private static ObjectNode closed(ObjectNode props, List<String> allowed, String what) {
        return closedInto(object(null), props, allowed, what);
    }

    /** {@code target} with {@code props} as its only properties, checked to be exactly the keys the reader allows. */
    private static ObjectNode closedInto(ObjectNode target, ObjectNode props, List<String> allowed, String what) {
        List<String> names = new ArrayList<>();
        props.fieldNames().forEachRemaining(names::add);
        if (!names.equals(allowed))
            throw new IllegalStateException("the schema of " + what + " has " + names + ", the reader " + allowed);
        target.set("properties", props);
        target.put("additionalProperties", false);
        return target;
    }
}
