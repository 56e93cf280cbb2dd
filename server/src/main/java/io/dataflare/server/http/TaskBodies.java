package io.dataflare.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.config.ConfigNode;
import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.config.MapNode;
import io.dataflare.engine.config.Problem;
import io.dataflare.engine.config.ScalarNode;
import io.dataflare.engine.config.Substitution;
import io.dataflare.server.task.InvalidTaskException;
import io.dataflare.server.task.RawPipeline;
import io.dataflare.server.task.TaskCompiler;
import io.dataflare.server.task.TaskSpec;
import io.javalin.http.Context;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a task from a request: {@code {"id": "...", "pipeline": {...}}} (JSON), or the pipeline itself as YAML,
 * JSON or TOML text with {@code ?id=}. Relative paths in it resolve against {@code ?base_dir=} (absolute), or
 * else the server's working directory. Problems are located in the request body ({@code body:line:column}).
 */
final class TaskBodies {
    static final String SOURCE = "body";

    private final TaskCompiler compiler;

    TaskBodies(TaskCompiler compiler) {
        this.compiler = compiler;
    }

    /** The task in the request; {@code pathId} is the id in the URL (PUT), or null (POST). */
    Parsed parse(Context ctx, String pathId) {
        return parse(ctx, pathId, null);
    }

    /** As {@link #parse(Context, String)}, with {@code defaultId} when neither the URL nor the body names one. */
    Parsed parse(Context ctx, String pathId, String defaultId) {
        String body = ctx.body();
        if (body.isBlank())
            throw RequestException.badRequest(
                    "the request has no body: send the pipeline (YAML, JSON or TOML) or {\"id\": ..., \"pipeline\": {...}}");
        ConfigReader.Format format = format(ctx, body);
        Path baseDir = baseDir(ctx.queryParam("base_dir"));
        Substitution sub = compiler.substitution();
        try {
            MapNode root = new ConfigReader(sub).read(body, SOURCE, format);
            JsonNode raw = format == ConfigReader.Format.JSON ? jsonTree(body) : null;
            boolean wrapped = raw != null && raw.isObject() && raw.has("pipeline");
            String id = pathId != null ? pathId : ctx.queryParam("id");
            MapNode pipeline = root;
            String text = body;
            if (wrapped) {
                List<Problem> problems = new ArrayList<>();
                for (String key : root.keys()) {
                    if (!key.equals("id") && !key.equals("pipeline")) {
                        problems.add(new Problem(
                                root.keyLocation(key), "'" + key + "' is not a task field (fields: id, pipeline)"));
                    }
                }
                ConfigNode idNode = root.get("id");
                if (idNode != null) {
                    String bodyId = idNode instanceof ScalarNode s && s.value() instanceof String str ? str : null;
                    if (bodyId == null) problems.add(new Problem(idNode.location(), "'id' must be a string"));
                    else if (pathId != null && !pathId.equals(bodyId))
                        problems.add(new Problem(
                                idNode.location(), "'id' is '" + bodyId + "' but the URL names task '" + pathId + "'"));
                    else id = bodyId;
                }
                if (!(root.get("pipeline") instanceof MapNode p)) {
                    problems.add(new Problem(
                            root.get("pipeline").location(), "'pipeline' must be an object (the pipeline)"));
                    throw new InvalidConfigException(problems);
                }
                if (!problems.isEmpty()) throw new InvalidConfigException(problems);
                pipeline = p;
                text = RawPipeline.json(raw.get("pipeline"));
            }
            if (id == null) id = defaultId;
            if (id == null)
                throw new InvalidTaskException("the task needs an id: give {\"id\": ..., \"pipeline\": {...}} or ?id=");
            if (!TaskSpec.validId(id)) {
                throw new InvalidTaskException(
                        "task id '" + id
                                + "' may use only letters, digits, '-', '_' and '.' (at most 64, starting with a letter or digit)");
            }
            TaskCompiler.Compiled compiled = compiler.compile(id, pipeline, SOURCE, baseDir, sub);
            String fmt = wrapped ? "json" : format.name().toLowerCase(Locale.ROOT);
            return new Parsed(new TaskSpec(id, fmt, text, baseDir.toString(), "api"), compiled);
        } catch (InvalidConfigException e) {
            List<Problem> masked = e.problems().stream()
                    .map(p -> new Problem(p.location(), sub.redactor().redact(p.message())))
                    .toList();
            int n = masked.size();
            throw new InvalidTaskException(n + (n == 1 ? " problem" : " problems") + " found in the pipeline", masked);
        }
    }

    /** A task read from a request. */
    record Parsed(TaskSpec spec, TaskCompiler.Compiled compiled) {}

    private static ConfigReader.Format format(Context ctx, String body) {
        String f = ctx.queryParam("format");
        if (f != null) {
            return switch (f.toLowerCase(Locale.ROOT)) {
                case "yaml", "yml" -> ConfigReader.Format.YAML;
                case "json" -> ConfigReader.Format.JSON;
                case "toml" -> ConfigReader.Format.TOML;
                default -> throw RequestException.badRequest("format must be yaml, json or toml, got '" + f + "'");
            };
        }
        String ct = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        if (ct.contains("json")) return ConfigReader.Format.JSON;
        if (ct.contains("toml")) return ConfigReader.Format.TOML;
        if (ct.contains("yaml") || ct.startsWith("text/plain")) return ConfigReader.Format.YAML;
        if (ct.isEmpty()
                || ct.startsWith("application/octet-stream")
                || ct.startsWith("application/x-www-form-urlencoded")) {
            return body.stripLeading().startsWith("{") ? ConfigReader.Format.JSON : ConfigReader.Format.YAML;
        }
        throw RequestException.unsupportedMediaType(
                "send the pipeline as application/json, application/yaml or application/toml, not " + ct);
    }

    private static Path baseDir(String param) {
        if (param == null) return Path.of("").toAbsolutePath();
        Path p;
        try {
            p = Path.of(param);
        } catch (java.nio.file.InvalidPathException e) {
            throw RequestException.badRequest("base_dir is not a path: " + param);
        }
        if (!p.isAbsolute() || !Files.isDirectory(p))
            throw RequestException.badRequest(
                    "base_dir must be an absolute path to a directory on the server: " + param);
        return p.normalize();
    }

    private static JsonNode jsonTree(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            return null; // the config reader reports where
        }
    }
}
