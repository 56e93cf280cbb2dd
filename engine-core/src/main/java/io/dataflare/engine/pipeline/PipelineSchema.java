package io.dataflare.engine.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.zafarkhaja.semver.Version;
import io.dataflare.api.ComponentKind;
import io.dataflare.api.PluginFactory;
import io.dataflare.api.config.ConfigOption;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.engine.host.LoadedPlugin;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A JSON Schema (draft-07, the draft editors' YAML plugins support best) for pipeline files, generated from the
 * installed plugins: each stage's {@code use:} offers the components of its kind, and its {@code with:} is checked
 * against that component's {@link ConfigSpec} (types, defaults, descriptions, allowed values, required options,
 * no unknown option unless the spec allows them). The engine's own keys come from {@link PipelineParser}'s key
 * lists, so the schema cannot offer a key the parser refuses. When several versions of a component are installed,
 * its options are those of the highest, the one a {@code use:} without a range gets.
 *
 * <p>The schema is a help for editors, not the validator: values may hold {@code ${...}} references resolved
 * only when the pipeline is read, so every typed value also accepts a string with a reference, and ranges
 * checked by the parser (batch sizes, parallelism) are given as minimum/maximum.
 */
public final class PipelineSchema {
    /** What a value with a {@code ${...}} reference looks like before substitution. */
    static final String REFERENCE = ".*\\$\\{.*";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String PATH_USE = "[/\\\\]|\\.(wasm|js|mjs|py|jar)\\s*$";

    private final Map<ComponentKind, Map<String, Component>> components = new EnumMap<>(ComponentKind.class);

    private record Component(String name, String plugin, Version version, PluginFactory<?> factory) {}

    private PipelineSchema(List<LoadedPlugin> plugins) {
        for (LoadedPlugin p : plugins) {
            Version v = Version.tryParse(p.manifest().getVersion()).orElse(Version.of(0));
            for (PluginFactory<?> f : p.components()) {
                Map<String, Component> byName = components.computeIfAbsent(f.kind(), k -> new TreeMap<>());
                Component known = byName.get(f.name());
                if (known == null || v.isHigherThan(known.version()))
                    byName.put(f.name(), new Component(f.name(), p.manifest().getPluginId(), v, f));
            }
        }
    }

    /** The schema for pipelines using {@code plugins} (the usable ones, e.g. {@code registry.plugins()}). */
    public static ObjectNode of(List<LoadedPlugin> plugins) {
        return new PipelineSchema(plugins).schema();
    }

    private ObjectNode schema() {
        ObjectNode root = F.objectNode();
        root.put("$schema", "http://json-schema.org/draft-07/schema#");
        root.put("$id", "https://dataflare.io/schema/pipeline.json");
        root.put("title", "DataFlare pipeline");
        root.put("description", "A pipeline file: sources, processors and sinks, with policies and runtime settings.");
        root.put("type", "object");
        ObjectNode props = F.objectNode();
        props.set("name", named("The pipeline's name (default: the file name without its extension)."));
        props.set(
                "id",
                string("The pipeline's id: what its checkpoints are kept under.")
                        .put("pattern", "^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$"));
        props.set("description", string("What the pipeline does."));
        for (StageRole role : StageRole.values()) props.set(role.section(), section(role));
        props.set("policies", policies());
        props.set("runtime", runtime());
        root.set("properties", closed(props, PipelineParser.TOP_KEYS, "pipeline"));
        root.put("additionalProperties", false);
        return root;
    }

    private ObjectNode section(StageRole role) {
        ObjectNode s = F.objectNode();
        s.put("description", "The pipeline's " + role.section() + ", by stage name.");
        s.put("type", "object");
        s.putObject("propertyNames").put("pattern", "^[A-Za-z0-9][A-Za-z0-9_.-]*$");
        s.set("additionalProperties", stage(role));
        return s;
    }

    private ObjectNode stage(StageRole role) {
        ComponentKind kind = kindOf(role);
        ObjectNode props = F.objectNode();
        props.set("use", use(kind, "The " + kind.label() + " plugin this stage runs (NAME, NAME@RANGE or a file)."));
        if (role != StageRole.SOURCE) {
            ObjectNode from = F.objectNode();
            from.put("description", "The stage(s) this one reads from.");
            ArrayNode any = from.putArray("anyOf");
            any.add(string(null));
            any.addObject().put("type", "array").put("minItems", 1).set("items", string(null));
            props.set("from", from);
        }
        props.set("with", withAny("The plugin's options."));
        props.set("grants", grants());
        if (role == StageRole.PROCESSOR) {
            props.set("parallelism", parallelism());
            props.set("routing", routing());
        }
        if (role == StageRole.SINK) props.set("buffer", buffer());
        props.set("description", string("What the stage does."));
        List<String> allowed = PipelineParser.STAGE_KEYS.stream()
                .filter(k -> role == StageRole.PROCESSOR || !k.equals("parallelism") && !k.equals("routing"))
                .filter(k -> role == StageRole.SINK || !k.equals("buffer"))
                .filter(k -> role != StageRole.SOURCE || !k.equals("from"))
                .toList();
        ObjectNode s = F.objectNode();
        s.put("type", "object");
        s.set("properties", closed(props, allowed, role.label()));
        s.put("additionalProperties", false);
        ArrayNode required = s.putArray("required").add("use");
        if (role != StageRole.SOURCE) required.add("from");
        withByUse(s, kind, "use");
        return s;
    }

    /** A sink's offline buffer. */
    private static ObjectNode buffer() {
        ObjectNode props = F.objectNode();
        props.set("path", string("The spool directory (relative to the pipeline file)."));
        props.set("max_bytes", whole(4096, Long.MAX_VALUE, "The spool's size limit; when full the sink holds back."));
        props.set("priority_field", string("A numeric field: higher values are delivered first when draining."));
        props.set("retry_ms", whole(1, 3_600_000, "How often a down sink is tried again (default 1000)."));
        ObjectNode b = F.objectNode()
                .put("type", "object")
                .put("description", "Spools records durably while the sink fails with retryable errors.");
        b.set("properties", closed(props, PipelineParser.BUFFER_KEYS, "buffer"));
        b.put("additionalProperties", false);
        b.putArray("required").add("path");
        return b;
    }

    /** A {@code use:}-like key with its {@code with:} and {@code grants:} (retry, dead_letter). */
    private ObjectNode useBlock(ComponentKind kind, String what) {
        ObjectNode props = F.objectNode();
        props.set("use", use(kind, what));
        props.set("with", withAny(null));
        props.set("grants", grants());
        ObjectNode s = F.objectNode().put("type", "object");
        s.set("properties", closed(props, PipelineParser.USE_KEYS, what));
        s.put("additionalProperties", false);
        s.putArray("required").add("use");
        withByUse(s, kind, "use");
        return s;
    }

    private ObjectNode policies() {
        ObjectNode props = F.objectNode();
        props.set("retry", useBlock(ComponentKind.RETRY_POLICY, "How failed batches are retried."));
        ObjectNode errorProps = F.objectNode();
        errorProps.set(
                "on_error", use(ComponentKind.ERROR_POLICY, "What a failed record does (skip, dead-letter...)."));
        errorProps.set("with", withAny(null));
        errorProps.set("grants", grants());
        errorProps.set(
                "dead_letter", useBlock(ComponentKind.SINK, "The sink dead letters go to (on_error: dead-letter)."));
        ObjectNode errors = F.objectNode().put("type", "object");
        errors.set("properties", closed(errorProps, PipelineParser.ERRORS_KEYS, "policies.errors"));
        errors.put("additionalProperties", false);
        errors.putArray("required").add("on_error");
        withByUse(errors, ComponentKind.ERROR_POLICY, "on_error");
        props.set("errors", errors);
        props.set("routing", routing());
        ObjectNode p = F.objectNode().put("type", "object");
        p.put("description", "Retry, error and routing policies for every stage.");
        p.set("properties", closed(props, PipelineParser.POLICY_KEYS, "policies"));
        p.put("additionalProperties", false);
        return p;
    }

    private ObjectNode routing() {
        ObjectNode props = F.objectNode();
        props.set("key", string("The record field whose value picks the worker."));
        props.set("strategy", use(ComponentKind.KEY_ROUTER, "The key router (default: hash)."));
        props.set("with", withAny(null));
        props.set("grants", grants());
        ObjectNode r = F.objectNode().put("type", "object");
        r.put("description", "How records are spread over a processor's workers.");
        r.set("properties", closed(props, PipelineParser.ROUTING_KEYS, "routing"));
        r.put("additionalProperties", false);
        withByUse(r, ComponentKind.KEY_ROUTER, "strategy");
        return r;
    }

    private static ObjectNode runtime() {
        ObjectNode props = F.objectNode();
        props.set("batch_size", whole(1, 1_000_000, "Records per batch (default 1000)."));
        ObjectNode batchProps = F.objectNode();
        batchProps.set("adaptive", bool("Whether the batch size follows the latency target."));
        batchProps.set("target_latency_ms", whole(1, 3_600_000, "The latency a batch aims at (default 20)."));
        batchProps.set("min", whole(1, 1_000_000, "The smallest batch (default 1)."));
        batchProps.set("max", whole(1, 1_000_000, "The largest batch (default max(10000, batch_size))."));
        batchProps.set("increase", whole(1, 1_000_000, "Records added per step (default 100)."));
        ObjectNode batch = F.objectNode().put("type", "object").put("description", "Adaptive batching.");
        batch.set("properties", closed(batchProps, PipelineParser.BATCH_KEYS, "runtime.batch"));
        batch.put("additionalProperties", false);
        props.set("batch", batch);
        props.set("max_wait_ms", whole(0, 3_600_000, "How long a partial batch waits for more records."));
        props.set("parallelism", whole(1, 1024, "Workers per processor unless the stage says otherwise."));
        props.set("queue_batches", whole(1, 10_000, "Batches a queue between stages holds."));
        props.set("checkpoint_interval_ms", whole(0, 86_400_000, "Time between checkpoints (0: none)."));
        props.set("stop_when_idle_ms", whole(1, 86_400_000, "Stop after this long without records."));
        ObjectNode stateProps = F.objectNode();
        stateProps.set("backend", oneOf(List.of("memory", "rocksdb"), "Where keyed state is kept."));
        stateProps.set("ttl_ms", whole(0, Integer.MAX_VALUE, "How long keyed state lives (0: forever)."));
        ObjectNode state = F.objectNode().put("type", "object").put("description", "Keyed state.");
        state.set("properties", closed(stateProps, PipelineParser.STATE_KEYS, "runtime.state"));
        state.put("additionalProperties", false);
        props.set("state", state);
        props.set("memory_mb", whole(1, 1_048_576, "The records in flight may take at most this much memory."));
        props.set("max_records_per_second", whole(1, 1_000_000_000, "The sources together read at most this many."));
        props.set(
                "disk_mb",
                whole(1, 1_073_741_824, "The spools of the buffered sinks hold at most this much together."));
        props.set("max_threads", whole(1, 100_000, "The stages have at most this many worker threads together."));
        props.set("engine", oneOf(List.of(RuntimeSettings.LOCAL, RuntimeSettings.FLINK), "What runs the pipeline."));
        ObjectNode r = F.objectNode().put("type", "object").put("description", "How the pipeline runs.");
        r.set("properties", closed(props, PipelineParser.RUNTIME_KEYS, "runtime"));
        r.put("additionalProperties", false);
        return r;
    }

    private static ObjectNode parallelism() {
        ObjectNode elasticProps = F.objectNode();
        for (String k : ElasticParallelismReader.KEYS) {
            elasticProps.set(k, k.equals("auto") ? bool("Whether to scale by load.") : number(null));
        }
        ObjectNode elastic = F.objectNode().put("type", "object").put("description", "Elastic parallelism.");
        elastic.set("properties", elasticProps);
        elastic.put("additionalProperties", false);
        ObjectNode p = F.objectNode().put("description", "Workers for this processor: a number or elastic settings.");
        p.putArray("anyOf").add(whole(1, 1024, null)).add(elastic);
        return p;
    }

    /** Adds, for each component of {@code kind}, "when {@code key} names it, {@code with:} follows its spec". */
    private void withByUse(ObjectNode target, ComponentKind kind, String key) {
        ArrayNode all = F.arrayNode();
        for (Component c : components.getOrDefault(kind, Map.of()).values()) {
            ObjectNode rule = all.addObject();
            ObjectNode cond = rule.putObject("if");
            cond.putObject("properties")
                    .putObject(key)
                    .put("type", "string")
                    .put("pattern", "^\\s*" + Pattern.quote(c.name()) + "\\s*(@.*)?$");
            cond.putArray("required").add(key);
            rule.putObject("then").putObject("properties").set("with", with(c));
        }
        if (!all.isEmpty()) target.set("allOf", all);
    }

    private static ObjectNode with(Component c) {
        ConfigSpec spec = c.factory().configSpec();
        ObjectNode w = F.objectNode();
        String d = c.factory().description();
        w.put("description", (d == null || d.isBlank() ? c.name() : d) + " (" + c.plugin() + "@" + c.version() + ")");
        w.putArray("type").add("object").add("null");
        ObjectNode props = w.putObject("properties");
        ArrayNode required = F.arrayNode();
        for (ConfigOption o : spec.options()) {
            props.set(o.name(), option(o));
            if (o.required()) required.add(o.name());
        }
        if (!required.isEmpty()) w.set("required", required);
        w.put("additionalProperties", spec.allowsUnknown());
        return w;
    }

    private static ObjectNode option(ConfigOption o) {
        ObjectNode s = switch (o.type()) {
            // The engine coerces a scalar to a string.
            case STRING -> typed("string", "number", "boolean");
            case LONG -> withReference(F.objectNode().put("type", "integer"), "^\\s*-?\\d+\\s*$");
            case DOUBLE -> withReference(F.objectNode().put("type", "number"), "^\\s*-?[0-9.eE+-]+\\s*$");
            case BOOLEAN -> withReference(F.objectNode().put("type", "boolean"), "^\\s*(?i:true|false)\\s*$");
            case STRING_LIST -> {
                ObjectNode l = F.objectNode();
                l.putArray("anyOf")
                        .add(typed("string", "number", "boolean"))
                        .addObject()
                        .put("type", "array")
                        .set("items", typed("string", "number", "boolean"));
                yield l;
            }
            case LIST -> F.objectNode().put("type", "array");
            case MAP -> F.objectNode().put("type", "object");
            case ANY -> F.objectNode();
        };
        if (!o.allowedValues().isEmpty()) {
            ObjectNode values = F.objectNode();
            ArrayNode any = values.putArray("anyOf");
            ArrayNode e = any.addObject().putArray("enum");
            for (String v : o.allowedValues()) e.add(v);
            any.addObject().put("type", "string").put("pattern", REFERENCE);
            s = F.objectNode().set("allOf", F.arrayNode().add(s).add(values));
        }
        String description = o.description() + " (" + o.type().label() + (o.required() ? ", required" : "") + ")";
        s.put("description", description.strip());
        if (o.defaultValue() != null) s.set("default", F.pojoNode(o.defaultValue()));
        return s;
    }

    private static ObjectNode typed(String... types) {
        ObjectNode s = F.objectNode();
        ArrayNode t = s.putArray("type");
        for (String type : types) t.add(type);
        return s;
    }

    /** {@code typed}, or a string: the typed value written as text, or with a {@code ${...}} reference. */
    private static ObjectNode withReference(ObjectNode typed, String asText) {
        ObjectNode s = F.objectNode();
        s.putArray("anyOf")
                .add(typed)
                .add(F.objectNode().put("type", "string").put("pattern", asText))
                .add(F.objectNode().put("type", "string").put("pattern", REFERENCE));
        return s;
    }

    private ObjectNode use(ComponentKind kind, String description) {
        List<String> names =
                new ArrayList<>(components.getOrDefault(kind, Map.of()).keySet());
        ObjectNode u = F.objectNode().put("type", "string");
        if (description != null) u.put("description", description);
        ArrayNode any = u.putArray("anyOf");
        if (!names.isEmpty()) {
            ArrayNode e = any.addObject().putArray("enum");
            names.forEach(e::add);
            String alternatives =
                    String.join("|", names.stream().map(Pattern::quote).toList());
            any.addObject().put("pattern", "^\\s*(" + alternatives + ")\\s*@.+$");
        }
        any.addObject().put("pattern", PATH_USE);
        any.addObject().put("pattern", REFERENCE);
        return u;
    }

    private static ObjectNode grants() {
        ObjectNode g = F.objectNode();
        g.put("description", "Capabilities granted to this stage (e.g. http:127.0.0.1, file:read:data/*.csv).");
        g.putArray("anyOf").add(string(null)).addObject().put("type", "array").set("items", string(null));
        return g;
    }

    /** A {@code with:} of any component: a map, or nothing. */
    private static ObjectNode withAny(String description) {
        ObjectNode w = typed("object", "null");
        if (description != null) w.put("description", description);
        return w;
    }

    private static ObjectNode named(String description) {
        return string(description).put("pattern", "^[A-Za-z0-9][A-Za-z0-9_.-]*$");
    }

    private static ObjectNode string(String description) {
        ObjectNode s = F.objectNode().put("type", "string");
        if (description != null) s.put("description", description);
        return s;
    }

    private static ObjectNode bool(String description) {
        ObjectNode b = withReference(F.objectNode().put("type", "boolean"), "^\\s*(?i:true|false)\\s*$");
        if (description != null) b.put("description", description);
        return b;
    }

    private static ObjectNode number(String description) {
        ObjectNode n = withReference(F.objectNode().put("type", "number"), "^\\s*-?[0-9.eE+-]+\\s*$");
        if (description != null) n.put("description", description);
        return n;
    }

    private static ObjectNode whole(long min, long max, String description) {
        ObjectNode i = withReference(
                F.objectNode().put("type", "integer").put("minimum", min).put("maximum", max), "^\\s*\\d+\\s*$");
        if (description != null) i.put("description", description);
        return i;
    }

    private static ObjectNode oneOf(List<String> values, String description) {
        ObjectNode s = F.objectNode().put("description", description);
        ArrayNode any = s.putArray("anyOf");
        ArrayNode e = any.addObject().putArray("enum");
        values.forEach(e::add);
        any.addObject().put("type", "string").put("pattern", REFERENCE);
        return s;
    }

    /** {@code props}, checked to name exactly the keys the parser allows there. */
    private static ObjectNode closed(ObjectNode props, List<String> allowed, String what) {
        List<String> names = new ArrayList<>();
        props.fieldNames().forEachRemaining(names::add);
        if (!names.equals(allowed))
            throw new IllegalStateException("the schema of " + what + " has " + names + ", the parser " + allowed);
        return props;
    }

    private static ComponentKind kindOf(StageRole role) {
        return switch (role) {
            case SOURCE -> ComponentKind.SOURCE;
            case PROCESSOR -> ComponentKind.PROCESSOR;
            case SINK -> ComponentKind.SINK;
        };
    }
}
