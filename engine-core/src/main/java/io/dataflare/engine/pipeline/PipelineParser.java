package io.dataflare.engine.pipeline;

import io.dataflare.engine.config.ConfigNode;
import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.config.ListNode;
import io.dataflare.engine.config.Location;
import io.dataflare.engine.config.MapNode;
import io.dataflare.engine.config.Problem;
import io.dataflare.engine.config.Redactor;
import io.dataflare.engine.config.ScalarNode;
import io.dataflare.engine.config.Substitution;
import io.dataflare.engine.config.Suggestions;
import io.dataflare.engine.plugin.PluginReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a pipeline file (YAML, JSON or TOML) into a {@link PipelineDefinition}, checking its shape:
 * known keys only, the right types, stage names unique, {@code from:} where it belongs, runtime
 * settings in range. Every problem is collected with its file, line and column; the parser either
 * returns a whole definition or throws {@link InvalidConfigException} listing all of them.
 */
public final class PipelineParser {
    private static final List<String> TOP_KEYS = List.of("name", "id", "description", "sources", "processors", "sinks", "policies", "runtime");
    private static final List<String> STAGE_KEYS = List.of("use", "from", "with", "parallelism", "routing", "description");
    private static final List<String> POLICY_KEYS = List.of("retry", "errors", "routing");
    private static final List<String> USE_KEYS = List.of("use", "with");
    private static final List<String> ERRORS_KEYS = List.of("on_error", "with", "dead_letter");
    private static final List<String> ROUTING_KEYS = List.of("key", "strategy", "with");
    private static final List<String> RUNTIME_KEYS = List.of("batch_size", "max_wait_ms", "parallelism", "queue_batches",
            "checkpoint_interval_ms");

    private final Substitution substitution;

    /** A parser substituting from {@code substitution}. */
    public PipelineParser(Substitution substitution) {
        this.substitution = substitution;
    }

    /** A parser substituting from the process environment. */
    public static PipelineParser withSystemEnvironment() {
        return new PipelineParser(Substitution.fromSystem(new Redactor()));
    }

    /** Reads and parses a pipeline file; relative paths in it resolve against its directory. */
    public PipelineDefinition parseFile(Path file) {
        MapNode root = new ConfigReader(substitution).readFile(file);
        Path abs = file.toAbsolutePath().normalize();
        return parse(root, file.toString(), abs.getParent(), defaultName(file));
    }

    /** Parses pipeline text; {@code baseDir} resolves relative paths. */
    public PipelineDefinition parseText(String text, String source, ConfigReader.Format format, Path baseDir) {
        MapNode root = new ConfigReader(substitution).read(text, source, format);
        return parse(root, source, baseDir, defaultName(Path.of(source)));
    }

    private static String defaultName(Path file) {
        String n = file.getFileName() == null ? "pipeline" : file.getFileName().toString();
        int dot = n.indexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /** Parses an already-read tree. */
    public PipelineDefinition parse(MapNode root, String source, Path baseDir, String defaultName) {
        List<Problem> problems = new ArrayList<>();
        checkKeys(root, TOP_KEYS, "pipeline", problems);

        String name = defaultName;
        ConfigNode nameNode = root.get("name");
        if (nameNode != null) {
            String n = string(nameNode, "name", problems);
            if (n != null && !n.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
                problems.add(new Problem(nameNode.location(), "name '" + n + "' may use only letters, digits, '-', '_' and '.'"));
            } else if (n != null) {
                name = n;
            }
        }

        String id = null;
        ConfigNode idNode = root.get("id");
        if (idNode != null) {
            String i = string(idNode, "id", problems);
            if (i != null && !i.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")) {
                problems.add(new Problem(idNode.location(), "id '" + i + "' may use only letters, digits, '-', '_' and '.' (at most 128)"));
            } else {
                id = i;
            }
        }

        List<StageDefinition> stages = new ArrayList<>();
        Map<String, Location> seen = new HashMap<>();
        for (StageRole role : StageRole.values()) {
            ConfigNode section = root.get(role.section());
            if (section == null) continue;
            if (!(section instanceof MapNode sm)) {
                problems.add(new Problem(section.location(), "'" + role.section() + "' must be a map of stage names to stages, found " + section.describe()));
                continue;
            }
            for (MapNode.Entry e : sm.entries()) {
                Location prior = seen.putIfAbsent(e.key(), e.keyLocation());
                if (prior != null) {
                    problems.add(new Problem(e.keyLocation(), "stage name '" + e.key() + "' is already used at line " + prior.line()));
                    continue;
                }
                if (!e.key().matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
                    problems.add(new Problem(e.keyLocation(), "stage name '" + e.key() + "' may use only letters, digits, '-', '_' and '.'"));
                    continue;
                }
                StageDefinition s = stage(e, role, problems);
                if (s != null) stages.add(s);
            }
        }

        PoliciesDefinition policies = PoliciesDefinition.NONE;
        ConfigNode pn = root.get("policies");
        if (pn != null) policies = policies(pn, problems);

        RuntimeSettings runtime = RuntimeSettings.DEFAULTS;
        ConfigNode rn = root.get("runtime");
        if (rn != null) runtime = runtime(rn, problems);

        if (!problems.isEmpty()) throw new InvalidConfigException(problems);
        return new PipelineDefinition(name, id, source, baseDir, stages, policies, runtime, substitution.redactor());
    }

    private StageDefinition stage(MapNode.Entry e, StageRole role, List<Problem> problems) {
        if (!(e.value() instanceof MapNode m)) {
            problems.add(new Problem(e.value().location(), role.label() + " '" + e.key() + "' must be a map with 'use:', found " + e.value().describe()));
            return null;
        }
        int before = problems.size();
        checkKeys(m, STAGE_KEYS, role.label() + " '" + e.key() + "'", problems);
        ComponentUse use = use(m, role.label() + " '" + e.key() + "'", problems);

        List<String> from = new ArrayList<>();
        List<Location> fromAt = new ArrayList<>();
        ConfigNode fn = m.get("from");
        if (role == StageRole.SOURCE) {
            if (fn != null) problems.add(new Problem(m.keyLocation("from"), "source '" + e.key() + "' cannot have 'from:' (sources read from outside the pipeline)"));
        } else if (fn == null) {
            problems.add(new Problem(e.keyLocation(), role.label() + " '" + e.key() + "' needs 'from:' naming the stages it reads from"));
        } else if (fn instanceof ScalarNode sn && sn.value() instanceof String s) {
            from.add(s);
            fromAt.add(sn.location());
        } else if (fn instanceof ListNode ln && !ln.items().isEmpty()) {
            for (ConfigNode item : ln.items()) {
                String s = string(item, "from", problems);
                if (s != null) {
                    from.add(s);
                    fromAt.add(item.location());
                }
            }
        } else {
            problems.add(new Problem(fn.location(), "'from' must be a stage name or a list of stage names, found " + fn.describe()));
        }

        Integer parallelism = null;
        ConfigNode par = m.get("parallelism");
        if (par != null) {
            if (role != StageRole.PROCESSOR) {
                problems.add(new Problem(m.keyLocation("parallelism"), "'parallelism' applies to processors only"));
            } else {
                parallelism = intIn(par, "parallelism", 1, 1024, problems);
            }
        }
        RoutingDefinition routing = null;
        ConfigNode rn = m.get("routing");
        if (rn != null) {
            if (role != StageRole.PROCESSOR) problems.add(new Problem(m.keyLocation("routing"), "'routing' applies to processors only"));
            else routing = routing(rn, problems);
        }
        if (problems.size() > before || use == null) return null;
        return new StageDefinition(e.key(), role, use, from, fromAt, parallelism, routing, e.keyLocation());
    }

    private ComponentUse use(MapNode m, String what, List<Problem> problems) {
        ConfigNode un = m.get("use");
        if (un == null) {
            problems.add(new Problem(m.location(), what + " needs 'use:' naming a plugin (e.g. use: csv-file)"));
            return null;
        }
        String u = string(un, "use", problems);
        if (u == null) return null;
        PluginReference ref;
        try {
            ref = PluginReference.parse(u);
        } catch (IllegalArgumentException ex) {
            problems.add(new Problem(un.location(), "use: " + ex.getMessage()));
            return null;
        }
        MapNode with = withOf(m, problems);
        return with == null ? null : new ComponentUse(ref, un.location(), with);
    }

    private static MapNode withOf(MapNode m, List<Problem> problems) {
        ConfigNode wn = m.get("with");
        if (wn == null || wn instanceof ScalarNode s && s.value() == null) return new MapNode(m.location());
        if (wn instanceof MapNode w) return w;
        problems.add(new Problem(wn.location(), "'with' must be a map of plugin options, found " + wn.describe()));
        return null;
    }

    private PoliciesDefinition policies(ConfigNode n, List<Problem> problems) {
        if (!(n instanceof MapNode m)) {
            problems.add(new Problem(n.location(), "'policies' must be a map, found " + n.describe()));
            return PoliciesDefinition.NONE;
        }
        checkKeys(m, POLICY_KEYS, "policies", problems);
        ComponentUse retry = null;
        ConfigNode rn = m.get("retry");
        if (rn instanceof MapNode rm) {
            checkKeys(rm, USE_KEYS, "policies.retry", problems);
            retry = use(rm, "policies.retry", problems);
        } else if (rn != null) {
            problems.add(new Problem(rn.location(), "'retry' must be a map with 'use:', found " + rn.describe()));
        }
        ErrorsDefinition errors = null;
        ConfigNode en = m.get("errors");
        if (en instanceof MapNode em) {
            errors = errors(em, problems);
        } else if (en != null) {
            problems.add(new Problem(en.location(), "'errors' must be a map with 'on_error:', found " + en.describe()));
        }
        RoutingDefinition routing = null;
        if (m.get("routing") != null) routing = routing(m.get("routing"), problems);
        return new PoliciesDefinition(retry, errors, routing);
    }

    private ErrorsDefinition errors(MapNode em, List<Problem> problems) {
        checkKeys(em, ERRORS_KEYS, "policies.errors", problems);
        ConfigNode on = em.get("on_error");
        ComponentUse onError = null;
        if (on == null) {
            problems.add(new Problem(em.location(), "'errors' needs 'on_error:' (skip, dead-letter or abort)"));
        } else {
            String name = string(on, "on_error", problems);
            if (name != null) {
                try {
                    MapNode with = withOf(em, problems);
                    if (with != null) onError = new ComponentUse(PluginReference.parse(name), on.location(), with);
                } catch (IllegalArgumentException ex) {
                    problems.add(new Problem(on.location(), "on_error: " + ex.getMessage()));
                }
            }
        }
        ComponentUse deadLetter = null;
        ConfigNode dn = em.get("dead_letter");
        if (dn instanceof MapNode dm) {
            checkKeys(dm, USE_KEYS, "dead_letter", problems);
            deadLetter = use(dm, "dead_letter", problems);
        } else if (dn != null) {
            problems.add(new Problem(dn.location(), "'dead_letter' must be a map with 'use:' naming a sink, found " + dn.describe()));
        }
        return onError == null ? null : new ErrorsDefinition(onError, deadLetter);
    }

    private RoutingDefinition routing(ConfigNode n, List<Problem> problems) {
        if (!(n instanceof MapNode m)) {
            problems.add(new Problem(n.location(), "'routing' must be a map with 'key:' and 'strategy:', found " + n.describe()));
            return null;
        }
        checkKeys(m, ROUTING_KEYS, "routing", problems);
        String key = m.get("key") == null ? null : string(m.get("key"), "key", problems);
        ConfigNode sn = m.get("strategy");
        String strategy = sn == null ? RoutingDefinition.DEFAULT_STRATEGY : string(sn, "strategy", problems);
        if (strategy == null) return null;
        MapNode with = withOf(m, problems);
        try {
            PluginReference ref = PluginReference.parse(strategy);
            return with == null ? null : new RoutingDefinition(key, new ComponentUse(ref, sn == null ? m.location() : sn.location(), with), m.location());
        } catch (IllegalArgumentException ex) {
            problems.add(new Problem(sn == null ? m.location() : sn.location(), "strategy: " + ex.getMessage()));
            return null;
        }
    }

    private RuntimeSettings runtime(ConfigNode n, List<Problem> problems) {
        if (!(n instanceof MapNode m)) {
            problems.add(new Problem(n.location(), "'runtime' must be a map, found " + n.describe()));
            return RuntimeSettings.DEFAULTS;
        }
        checkKeys(m, RUNTIME_KEYS, "runtime", problems);
        RuntimeSettings d = RuntimeSettings.DEFAULTS;
        int batch = m.has("batch_size") ? intIn(m.get("batch_size"), "batch_size", 1, 1_000_000, problems) : d.batchSize();
        long wait = m.has("max_wait_ms") ? intIn(m.get("max_wait_ms"), "max_wait_ms", 0, 3_600_000, problems) : d.maxWaitMs();
        int par = m.has("parallelism") ? intIn(m.get("parallelism"), "parallelism", 1, 1024, problems) : d.parallelism();
        int queue = m.has("queue_batches") ? intIn(m.get("queue_batches"), "queue_batches", 1, 10_000, problems) : d.queueBatches();
        long checkpoint = m.has("checkpoint_interval_ms")
                ? intIn(m.get("checkpoint_interval_ms"), "checkpoint_interval_ms", 0, 86_400_000, problems) : d.checkpointIntervalMs();
        return new RuntimeSettings(batch, wait, par, queue, checkpoint);
    }

    private static String string(ConfigNode n, String key, List<Problem> problems) {
        if (n instanceof ScalarNode s && s.value() instanceof String str && !str.isBlank()) return str.trim();
        problems.add(new Problem(n.location(), "'" + key + "' must be a non-empty string, found " + n.describe()));
        return null;
    }

    private static int intIn(ConfigNode n, String key, int min, int max, List<Problem> problems) {
        Object v = n instanceof ScalarNode s ? s.value() : null;
        long value;
        if (v instanceof Long l) {
            value = l;
        } else if (v instanceof String s && s.trim().matches("-?\\d+")) {
            value = Long.parseLong(s.trim());
        } else {
            problems.add(new Problem(n.location(), "'" + key + "' must be a whole number, found " + n.describe()));
            return min;
        }
        if (value < min || value > max) {
            problems.add(new Problem(n.location(), "'" + key + "' must be between " + min + " and " + max + ", found " + value));
            return min;
        }
        return (int) value;
    }

    /** Reports keys of {@code m} not in {@code allowed}, suggesting the nearest allowed key. */
    static void checkKeys(MapNode m, List<String> allowed, String what, List<Problem> problems) {
        Set<String> ok = Set.copyOf(allowed);
        for (MapNode.Entry e : m.entries()) {
            if (ok.contains(e.key())) continue;
            problems.add(new Problem(e.keyLocation(), "unknown key '" + e.key() + "' in " + what
                    + Suggestions.didYouMean(e.key(), allowed) + "; allowed: " + String.join(", ", allowed)));
        }
    }
}
