package io.dataflare.engine.pipeline;

import io.dataflare.engine.config.ConfigDocument;
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
import io.dataflare.engine.host.Grants;
import io.dataflare.engine.plugin.PluginReference;
import io.dataflare.engine.state.keyed.StateSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a pipeline file (YAML, JSON or TOML) into a {@link PipelineDefinition}, checking its shape:
 * known keys only, the right types, stage names unique, {@code from:} where it belongs, runtime
 * settings in range. Every problem is collected with its file, line and column. The {@code parse...}
 * methods return a whole definition or throw {@link InvalidConfigException} listing all of them; the
 * {@code read...} methods return a {@link ParsedPipeline} (what could be read, and the problems) for
 * {@link PipelineValidator} to finish in the same pass.
 */
public final class PipelineParser {
    static final List<String> TOP_KEYS =
            List.of("name", "id", "description", "sources", "processors", "sinks", "policies", "runtime");
    static final List<String> STAGE_KEYS =
            List.of("use", "from", "with", "grants", "parallelism", "routing", "buffer", "description");
    static final List<String> BUFFER_KEYS = List.of("path", "max_bytes", "priority_field", "retry_ms");
    static final List<String> POLICY_KEYS = List.of("retry", "errors", "routing");
    static final List<String> USE_KEYS = List.of("use", "with", "grants");
    static final List<String> ERRORS_KEYS = List.of("on_error", "with", "grants", "dead_letter");
    static final List<String> ROUTING_KEYS = List.of("key", "strategy", "with", "grants");
    static final List<String> RUNTIME_KEYS = List.of(
            "batch_size",
            "batch",
            "max_wait_ms",
            "parallelism",
            "queue_batches",
            "checkpoint_interval_ms",
            "stop_when_idle_ms",
            "state",
            "memory_mb",
            "max_records_per_second",
            "disk_mb",
            "max_threads",
            "engine");
    static final List<String> BATCH_KEYS = List.of("adaptive", "target_latency_ms", "min", "max", "increase");
    static final List<String> STATE_KEYS = List.of("backend", "ttl_ms");
    private static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9_.-]*";

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
        return orThrow(readFile(file));
    }

    /** Parses pipeline text; {@code baseDir} resolves relative paths. */
    public PipelineDefinition parseText(String text, String source, ConfigReader.Format format, Path baseDir) {
        return orThrow(readText(text, source, format, baseDir));
    }

    /**
     * Reads a pipeline file as far as it goes.
     *
     * @throws InvalidConfigException only when there is nothing to go on (no file, a syntax error)
     */
    public ParsedPipeline readFile(Path file) {
        ConfigDocument doc = new ConfigReader(substitution).readFileDocument(file);
        Path abs = file.toAbsolutePath().normalize();
        return read(doc, file.toString(), abs.getParent(), defaultName(file));
    }

    /**
     * Reads pipeline text as far as it goes; {@code baseDir} resolves relative paths.
     *
     * @throws InvalidConfigException only when there is nothing to go on (a syntax error)
     */
    public ParsedPipeline readText(String text, String source, ConfigReader.Format format, Path baseDir) {
        ConfigDocument doc = new ConfigReader(substitution).readDocument(text, source, format);
        return read(doc, source, baseDir, defaultName(Path.of(source)));
    }

    private static PipelineDefinition orThrow(ParsedPipeline parsed) {
        if (!parsed.problems().isEmpty()) throw new InvalidConfigException(parsed.problems());
        return parsed.definition();
    }

    private static String defaultName(Path file) {
        String n = file.getFileName() == null ? "pipeline" : file.getFileName().toString();
        int dot = n.indexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /** Parses an already-read tree. */
    public PipelineDefinition parse(MapNode root, String source, Path baseDir, String defaultName) {
        return orThrow(read(new ConfigDocument(root, List.of()), source, baseDir, defaultName));
    }

    /** Parses an already-read document as far as it goes, after the problems found reading it. */
    public ParsedPipeline read(ConfigDocument doc, String source, Path baseDir, String defaultName) {
        return new Reading(doc.problems()).pipeline(doc.root(), source, baseDir, defaultName);
    }

    /** One parse: the problems found and what could not be read. */
    private final class Reading {
        private final List<Problem> problems;
        private final Set<String> stageNames = new LinkedHashSet<>();
        private final Set<StageRole> rolesWritten = EnumSet.noneOf(StageRole.class);
        private boolean fromIncomplete;
        private Path baseDir;

        Reading(List<Problem> earlier) {
            this.problems = new ArrayList<>(earlier);
        }

        ParsedPipeline pipeline(MapNode root, String source, Path baseDir, String defaultName) {
            this.baseDir = baseDir;
            checkKeys(root, TOP_KEYS, "pipeline", problems);
            // A misspelled section ('sorces:') is reported as such; its stages are unread, not missing.
            for (StageRole role : StageRole.values()) {
                for (MapNode.Entry e : root.entries()) {
                    if (TOP_KEYS.contains(e.key()) || !role.section().equals(Suggestions.nearest(e.key(), TOP_KEYS)))
                        continue;
                    rolesWritten.add(role);
                    fromIncomplete = true;
                    if (e.value() instanceof MapNode m) stageNames.addAll(m.keys());
                }
            }

            String name = defaultName;
            ConfigNode nameNode = root.get("name");
            if (nameNode != null) {
                String n = string(nameNode, "name");
                if (n != null && !n.matches(NAME_PATTERN)) {
                    problems.add(new Problem(
                            nameNode.location(), "name '" + n + "' may use only letters, digits, '-', '_' and '.'"));
                } else if (n != null) {
                    name = n;
                }
            }

            String id = null;
            ConfigNode idNode = root.get("id");
            if (idNode != null) {
                String i = string(idNode, "id");
                if (i != null && !i.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")) {
                    problems.add(new Problem(
                            idNode.location(),
                            "id '" + i + "' may use only letters, digits, '-', '_' and '.' (at most 128)"));
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
                    rolesWritten.add(role);
                    fromIncomplete = true;
                    wrongType(
                            section,
                            "'" + role.section() + "' must be a map of stage names to stages, found "
                                    + section.describe());
                    continue;
                }
                if (sm.size() > 0) rolesWritten.add(role);
                for (MapNode.Entry e : sm.entries()) {
                    stageNames.add(e.key());
                    Location prior = seen.putIfAbsent(e.key(), e.keyLocation());
                    if (prior != null) {
                        problems.add(new Problem(
                                e.keyLocation(),
                                "stage name '" + e.key() + "' is already used at line " + prior.line()));
                        fromIncomplete = true;
                        continue;
                    }
                    if (!e.key().matches(NAME_PATTERN)) {
                        problems.add(new Problem(
                                e.keyLocation(),
                                "stage name '" + e.key() + "' may use only letters, digits, '-', '_' and '.'"));
                        fromIncomplete = true;
                        continue;
                    }
                    StageDefinition s = stage(e, role);
                    if (s != null) stages.add(s);
                }
            }

            PoliciesDefinition policies = PoliciesDefinition.NONE;
            ConfigNode pn = root.get("policies");
            if (pn != null) policies = policies(pn);

            RuntimeSettings runtime = RuntimeSettings.DEFAULTS;
            ConfigNode rn = root.get("runtime");
            if (rn != null) runtime = runtime(rn);

            PipelineDefinition def = new PipelineDefinition(
                    name, id, source, baseDir, stages, policies, runtime, substitution.redactor());
            return new ParsedPipeline(def, problems, stageNames, rolesWritten, fromIncomplete);
        }

        /** The stage as far as it can be read (its component null when its 'use:' cannot be), or null if it is not a map. */
        private StageDefinition stage(MapNode.Entry e, StageRole role) {
            if (!(e.value() instanceof MapNode m)) {
                fromIncomplete = true;
                wrongType(
                        e.value(),
                        role.label() + " '" + e.key() + "' must be a map with 'use:', found "
                                + e.value().describe());
                return null;
            }
            checkKeys(m, STAGE_KEYS, role.label() + " '" + e.key() + "'", problems);
            ComponentUse use = use(m, role.label() + " '" + e.key() + "'");

            List<String> from = new ArrayList<>();
            List<Location> fromAt = new ArrayList<>();
            ConfigNode fn = m.get("from");
            if (role == StageRole.SOURCE) {
                if (fn != null)
                    problems.add(new Problem(
                            m.keyLocation("from"),
                            "source '" + e.key() + "' cannot have 'from:' (sources read from outside the pipeline)"));
            } else if (fn == null) {
                fromIncomplete = true;
                problems.add(new Problem(
                        e.keyLocation(),
                        role.label() + " '" + e.key() + "' needs 'from:' naming the stages it reads from"));
            } else if (fn instanceof ScalarNode sn && (sn.value() instanceof String || sn.unresolved())) {
                addFrom(sn, from, fromAt);
            } else if (fn instanceof ListNode ln && !ln.items().isEmpty()) {
                for (ConfigNode item : ln.items()) addFrom(item, from, fromAt);
            } else {
                fromIncomplete = true;
                wrongType(fn, "'from' must be a stage name or a list of stage names, found " + fn.describe());
            }

            Integer parallelism = null;
            ElasticParallelism elastic = null;
            ConfigNode par = m.get("parallelism");
            if (par != null) {
                if (role != StageRole.PROCESSOR) {
                    problems.add(new Problem(m.keyLocation("parallelism"), "'parallelism' applies to processors only"));
                } else if (par instanceof MapNode pm) {
                    elastic = new ElasticParallelismReader(problems).read(pm);
                } else {
                    parallelism = intIn(par, "parallelism", 1, 1024);
                }
            }
            RoutingDefinition routing = null;
            ConfigNode rn = m.get("routing");
            if (rn != null) {
                if (role != StageRole.PROCESSOR)
                    problems.add(new Problem(m.keyLocation("routing"), "'routing' applies to processors only"));
                else routing = routing(rn);
            }
            SinkBufferDefinition buffer = null;
            ConfigNode bn = m.get("buffer");
            if (bn != null) {
                if (role != StageRole.SINK)
                    problems.add(new Problem(m.keyLocation("buffer"), "'buffer' applies to sinks only"));
                else buffer = buffer(bn, m.keyLocation("buffer"));
            }
            return new StageDefinition(
                    e.key(), role, use, from, fromAt, parallelism, routing, e.keyLocation(), elastic, buffer);
        }

        /** A sink's {@code buffer:}, or null (with a problem) when it cannot be read. */
        private SinkBufferDefinition buffer(ConfigNode n, Location at) {
            if (!(n instanceof MapNode m)) {
                wrongType(
                        n,
                        "'buffer' must be a map with 'path:' (e.g. buffer: { path: spool/out }), found "
                                + n.describe());
                return null;
            }
            checkKeys(m, BUFFER_KEYS, "buffer", problems);
            ConfigNode pn = m.get("path");
            if (pn == null) {
                problems.add(new Problem(m.location(), "'buffer' needs 'path:' naming the spool directory"));
                return null;
            }
            String path = string(pn, "path");
            long maxBytes = m.has("max_bytes")
                    ? longIn(m.get("max_bytes"), "max_bytes", 4096, Long.MAX_VALUE)
                    : SinkBufferDefinition.DEFAULT_MAX_BYTES;
            String priority = m.has("priority_field") ? string(m.get("priority_field"), "priority_field") : null;
            long retryMs = m.has("retry_ms")
                    ? longIn(m.get("retry_ms"), "retry_ms", 1, 3_600_000)
                    : SinkBufferDefinition.DEFAULT_RETRY_MS;
            if (path == null) return null;
            Path p = Path.of(path);
            if (!p.isAbsolute() && baseDir != null) p = baseDir.resolve(p);
            return new SinkBufferDefinition(p.normalize(), maxBytes, priority, retryMs, at);
        }

        private void addFrom(ConfigNode item, List<String> from, List<Location> fromAt) {
            String s = string(item, "from");
            if (s == null) {
                fromIncomplete = true;
                return;
            }
            from.add(s);
            fromAt.add(item.location());
        }

        private ComponentUse use(MapNode m, String what) {
            ConfigNode un = m.get("use");
            if (un == null) {
                problems.add(new Problem(m.location(), what + " needs 'use:' naming a plugin (e.g. use: csv-file)"));
                return null;
            }
            String u = string(un, "use");
            if (u == null) return null;
            PluginReference ref;
            try {
                ref = PluginReference.parse(u);
            } catch (IllegalArgumentException ex) {
                problems.add(new Problem(un.location(), "use: " + ex.getMessage()));
                return null;
            }
            MapNode with = withOf(m);
            GrantsDefinition grants = grantsOf(m, what);
            return with == null ? null : new ComponentUse(ref, un.location(), with, grants);
        }

        /**
         * The {@code grants:} of {@code m}, or null when none is written; each entry that is not a capability
         * is reported (naming {@code what} and the entry) and left out.
         */
        private GrantsDefinition grantsOf(MapNode m, String what) {
            ConfigNode gn = m.get("grants");
            if (gn == null) return null;
            List<ConfigNode> items;
            if (gn instanceof ListNode ln) {
                items = ln.items();
            } else if (gn instanceof ScalarNode sn && sn.value() instanceof String) {
                items = List.of(sn);
            } else {
                wrongType(
                        gn,
                        what + ": 'grants' must be a list of capabilities (e.g. grants: [http:127.0.0.1,"
                                + " file:read:data/*.csv]), found " + gn.describe());
                return new GrantsDefinition(List.of(), List.of(), m.keyLocation("grants"), false);
            }
            List<String> capabilities = new ArrayList<>();
            List<Location> at = new ArrayList<>();
            for (ConfigNode item : items) {
                if (!(item instanceof ScalarNode is && !is.unresolved() && is.value() instanceof String c0)
                        || c0.isBlank()) {
                    wrongType(item, what + ": each entry of 'grants' must be a capability, found " + item.describe());
                    continue;
                }
                String c = c0.trim();
                try {
                    Grants.of(List.of(c));
                } catch (IllegalArgumentException ex) {
                    problems.add(new Problem(item.location(), what + ": grants: " + ex.getMessage()));
                    continue;
                }
                capabilities.add(c);
                at.add(item.location());
            }
            return new GrantsDefinition(capabilities, at, m.keyLocation("grants"), capabilities.size() == items.size());
        }

        private MapNode withOf(MapNode m) {
            ConfigNode wn = m.get("with");
            if (wn == null || wn instanceof ScalarNode s && s.value() == null) return new MapNode(m.location());
            if (wn instanceof MapNode w) return w;
            wrongType(wn, "'with' must be a map of plugin options, found " + wn.describe());
            return null;
        }

        private PoliciesDefinition policies(ConfigNode n) {
            if (!(n instanceof MapNode m)) {
                wrongType(n, "'policies' must be a map, found " + n.describe());
                return PoliciesDefinition.NONE;
            }
            checkKeys(m, POLICY_KEYS, "policies", problems);
            ComponentUse retry = null;
            ConfigNode rn = m.get("retry");
            if (rn instanceof MapNode rm) {
                checkKeys(rm, USE_KEYS, "policies.retry", problems);
                retry = use(rm, "policies.retry");
            } else if (rn != null) {
                wrongType(rn, "'retry' must be a map with 'use:', found " + rn.describe());
            }
            ErrorsDefinition errors = null;
            ConfigNode en = m.get("errors");
            if (en instanceof MapNode em) {
                errors = errors(em);
            } else if (en != null) {
                wrongType(en, "'errors' must be a map with 'on_error:', found " + en.describe());
            }
            RoutingDefinition routing = null;
            if (m.get("routing") != null) routing = routing(m.get("routing"));
            return new PoliciesDefinition(retry, errors, routing);
        }

        private ErrorsDefinition errors(MapNode em) {
            checkKeys(em, ERRORS_KEYS, "policies.errors", problems);
            ConfigNode on = em.get("on_error");
            ComponentUse onError = null;
            if (on == null) {
                problems.add(new Problem(em.location(), "'errors' needs 'on_error:' (skip, dead-letter or abort)"));
            } else {
                String name = string(on, "on_error");
                if (name != null) {
                    try {
                        PluginReference ref = PluginReference.parse(name);
                        MapNode with = withOf(em);
                        GrantsDefinition grants = grantsOf(em, "policies.errors");
                        if (with != null) onError = new ComponentUse(ref, on.location(), with, grants);
                        if (ref.name().equals("dead-letter") && !em.has("dead_letter")) {
                            problems.add(new Problem(
                                    on.location(),
                                    "on_error: dead-letter needs a 'dead_letter:' sink next to it"
                                            + " (e.g. dead_letter: { use: jsonl-file, with: { path: dlq.jsonl } })"));
                        }
                    } catch (IllegalArgumentException ex) {
                        problems.add(new Problem(on.location(), "on_error: " + ex.getMessage()));
                    }
                }
            }
            ComponentUse deadLetter = null;
            ConfigNode dn = em.get("dead_letter");
            if (dn instanceof MapNode dm) {
                checkKeys(dm, USE_KEYS, "dead_letter", problems);
                deadLetter = use(dm, "dead_letter");
            } else if (dn != null) {
                wrongType(dn, "'dead_letter' must be a map with 'use:' naming a sink, found " + dn.describe());
            }
            return onError == null ? null : new ErrorsDefinition(onError, deadLetter);
        }

        private RoutingDefinition routing(ConfigNode n) {
            if (!(n instanceof MapNode m)) {
                wrongType(n, "'routing' must be a map with 'key:' and 'strategy:', found " + n.describe());
                return null;
            }
            checkKeys(m, ROUTING_KEYS, "routing", problems);
            String key = m.get("key") == null ? null : string(m.get("key"), "key");
            ConfigNode sn = m.get("strategy");
            String strategy = sn == null ? RoutingDefinition.DEFAULT_STRATEGY : string(sn, "strategy");
            if (strategy == null) return null;
            MapNode with = withOf(m);
            GrantsDefinition grants = grantsOf(m, "routing");
            try {
                PluginReference ref = PluginReference.parse(strategy);
                return with == null
                        ? null
                        : new RoutingDefinition(
                                key,
                                new ComponentUse(ref, sn == null ? m.location() : sn.location(), with, grants),
                                m.location());
            } catch (IllegalArgumentException ex) {
                problems.add(new Problem(sn == null ? m.location() : sn.location(), "strategy: " + ex.getMessage()));
                return null;
            }
        }

        private RuntimeSettings runtime(ConfigNode n) {
            if (!(n instanceof MapNode m)) {
                wrongType(n, "'runtime' must be a map, found " + n.describe());
                return RuntimeSettings.DEFAULTS;
            }
            checkKeys(m, RUNTIME_KEYS, "runtime", problems);
            RuntimeSettings d = RuntimeSettings.DEFAULTS;
            int batch = m.has("batch_size") ? intIn(m.get("batch_size"), "batch_size", 1, 1_000_000) : d.batchSize();
            long wait = m.has("max_wait_ms") ? intIn(m.get("max_wait_ms"), "max_wait_ms", 0, 3_600_000) : d.maxWaitMs();
            int par = m.has("parallelism") ? intIn(m.get("parallelism"), "parallelism", 1, 1024) : d.parallelism();
            int queue = m.has("queue_batches")
                    ? intIn(m.get("queue_batches"), "queue_batches", 1, 10_000)
                    : d.queueBatches();
            long checkpoint = m.has("checkpoint_interval_ms")
                    ? intIn(m.get("checkpoint_interval_ms"), "checkpoint_interval_ms", 0, 86_400_000)
                    : d.checkpointIntervalMs();
            long idle = m.has("stop_when_idle_ms")
                    ? intIn(m.get("stop_when_idle_ms"), "stop_when_idle_ms", 1, 86_400_000)
                    : d.stopWhenIdleMs();
            StateSettings state = m.has("state") ? state(m.get("state")) : StateSettings.DEFAULTS;
            return new RuntimeSettings(
                    batch,
                    wait,
                    par,
                    queue,
                    checkpoint,
                    idle,
                    adaptiveBatch(m.get("batch"), batch),
                    state,
                    engine(m.get("engine")),
                    new ResourceLimits(
                            m.has("memory_mb")
                                    ? intIn(m.get("memory_mb"), "memory_mb", 1, 1_048_576) * 1024L * 1024L
                                    : 0,
                            m.has("max_records_per_second")
                                    ? intIn(m.get("max_records_per_second"), "max_records_per_second", 1, 1_000_000_000)
                                    : 0,
                            m.has("disk_mb") ? intIn(m.get("disk_mb"), "disk_mb", 1, 1_073_741_824) * 1024L * 1024L : 0,
                            m.has("max_threads") ? intIn(m.get("max_threads"), "max_threads", 1, 100_000) : 0));
        }

        /** {@code runtime.engine}: {@code local} (the default) or {@code flink}. */
        private String engine(ConfigNode n) {
            if (n == null) return RuntimeSettings.LOCAL;
            if (n instanceof ScalarNode sn
                    && (RuntimeSettings.LOCAL.equals(sn.value()) || RuntimeSettings.FLINK.equals(sn.value()))) {
                return (String) sn.value();
            }
            problems.add(new Problem(n.location(), "'runtime.engine' must be local or flink, found " + n.describe()));
            return RuntimeSettings.LOCAL;
        }

        /** {@code runtime.batch}: null unless {@code adaptive: true}. */
        private AdaptiveBatch adaptiveBatch(ConfigNode n, int batchSize) {
            if (n == null) return null;
            if (!(n instanceof MapNode m)) {
                wrongType(
                        n,
                        "'runtime.batch' must be a map such as {adaptive: true, target_latency_ms: 20}, found "
                                + n.describe());
                return null;
            }
            checkKeys(m, BATCH_KEYS, "runtime.batch", problems);
            ConfigNode an = m.get("adaptive");
            boolean adaptive = false;
            if (an instanceof ScalarNode s && s.value() instanceof Boolean b) adaptive = b;
            else if (an != null) wrongType(an, "'adaptive' must be true or false, found " + an.describe());
            long target = m.has("target_latency_ms")
                    ? intIn(m.get("target_latency_ms"), "target_latency_ms", 1, 3_600_000)
                    : 20;
            int min = m.has("min") ? intIn(m.get("min"), "min", 1, 1_000_000) : 1;
            int max = m.has("max") ? intIn(m.get("max"), "max", 1, 1_000_000) : Math.max(10_000, batchSize);
            int increase = m.has("increase") ? intIn(m.get("increase"), "increase", 1, 1_000_000) : 100;
            if (max < min) {
                problems.add(new Problem(
                        m.get("max") == null ? m.location() : m.get("max").location(),
                        "'runtime.batch.max' (" + max + ") must be at least 'runtime.batch.min' (" + min + ")"));
                return null;
            }
            return adaptive ? new AdaptiveBatch(target, min, max, increase) : null;
        }

        private StateSettings state(ConfigNode n) {
            if (!(n instanceof MapNode m)) {
                wrongType(n, "'runtime.state' must be a map with 'backend:' and 'ttl_ms:', found " + n.describe());
                return StateSettings.DEFAULTS;
            }
            checkKeys(m, STATE_KEYS, "runtime.state", problems);
            String backend = StateSettings.DEFAULTS.backend();
            if (m.has("backend")) {
                String b = string(m.get("backend"), "backend");
                if (StateSettings.MEMORY.equals(b) || StateSettings.ROCKSDB.equals(b)) backend = b;
                else if (b != null)
                    problems.add(new Problem(
                            m.get("backend").location(), "'backend' must be 'memory' or 'rocksdb', found '" + b + "'"));
            }
            long ttl = m.has("ttl_ms") ? intIn(m.get("ttl_ms"), "ttl_ms", 0, Integer.MAX_VALUE) : 0;
            return new StateSettings(backend, ttl);
        }

        /** The string, or null (with a problem, unless the value has an unresolved reference, already reported). */
        private String string(ConfigNode n, String key) {
            if (n instanceof ScalarNode s && !s.unresolved() && s.value() instanceof String str && !str.isBlank())
                return str.trim();
            wrongType(n, "'" + key + "' must be a non-empty string, found " + n.describe());
            return null;
        }

        private int intIn(ConfigNode n, String key, int min, int max) {
            return (int) longIn(n, key, min, max);
        }

        private long longIn(ConfigNode n, String key, long min, long max) {
            Object v = n instanceof ScalarNode s ? s.value() : null;
            long value;
            if (v instanceof Long l) {
                value = l;
            } else if (v instanceof String s
                    && !n.containsUnresolved()
                    && s.trim().matches("-?\\d+")) {
                value = Long.parseLong(s.trim());
            } else {
                wrongType(n, "'" + key + "' must be a whole number, found " + n.describe());
                return min;
            }
            if (value < min || value > max) {
                problems.add(new Problem(
                        n.location(), "'" + key + "' must be between " + min + " and " + max + ", found " + value));
                return min;
            }
            return value;
        }

        /** A value of the wrong kind; not reported when it has an unresolved reference (that is the problem). */
        private void wrongType(ConfigNode n, String message) {
            if (!n.containsUnresolved()) problems.add(new Problem(n.location(), message));
        }
    }

    /** Reports keys of {@code m} not in {@code allowed}, suggesting the nearest allowed key. */
    static void checkKeys(MapNode m, List<String> allowed, String what, List<Problem> problems) {
        Set<String> ok = Set.copyOf(allowed);
        for (MapNode.Entry e : m.entries()) {
            if (ok.contains(e.key())) continue;
            problems.add(new Problem(
                    e.keyLocation(),
                    "unknown key '" + e.key() + "' in " + what + Suggestions.didYouMean(e.key(), allowed)
                            + "; allowed: " + String.join(", ", allowed)));
        }
    }
}
