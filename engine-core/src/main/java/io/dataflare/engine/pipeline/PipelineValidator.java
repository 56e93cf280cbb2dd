package io.dataflare.engine.pipeline;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.PluginFactory;
import io.dataflare.api.config.ConfigError;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.engine.config.ConfigNode;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.config.ListNode;
import io.dataflare.engine.config.Location;
import io.dataflare.engine.config.MapNode;
import io.dataflare.engine.config.Problem;
import io.dataflare.engine.config.Suggestions;
import io.dataflare.engine.host.Grants;
import io.dataflare.engine.plugin.PluginRegistry;
import io.dataflare.engine.plugin.ResolutionException;
import io.dataflare.engine.plugin.ResolvedComponent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks a parsed pipeline against the graph rules and the installed plugins, before anything runs:
 * {@code from:} names existing stages (and existing named outputs, {@code from: router.high}), there is no
 * cycle, every record has somewhere to go (every named output is read), every
 * {@code use:} resolves to a component of the right kind and version, every {@code with:} passes the
 * component's {@code ConfigSpec}, every capability a component's manifest requests is granted (its
 * {@code grants:}, within what the {@link GrantPolicy} allows), and (with {@link Scope#RUN}) what each component
 * needs to start is there. Returns a {@link PipelinePlan} or throws {@link InvalidConfigException} with every problem
 * located.
 *
 * <p>Everything is checked in one pass: a problem in one place does not hide problems elsewhere. Only
 * checks that a problem already reported makes meaningless are skipped: a stage whose {@code use:} is
 * broken is not resolved, options of a plugin that cannot be resolved are not checked, a value with an
 * unresolved {@code ${...}} reference is not checked again, a component whose options are wrong or whose
 * requests are not granted is not preflighted, requests are not checked against a {@code grants:} list that
 * could not be read, and "feeds nothing" is not reported while the graph has gaps.
 */
public final class PipelineValidator {
    /** How far validation looks. */
    public enum Scope {
        /** The pipeline and the installed plugins: for pipelines kept to run later (tasks of the server). */
        DEFINITION,
        /**
         * Also what each component needs to start ({@link PluginFactory#preflight}): an input that exists,
         * an output directory that can be created. For a pipeline about to run, and for {@code validate}.
         */
        RUN
    }

    private static final String DEAD_LETTER_STAGE = "dead_letter";
    private static final String POLICIES = "policies";
    private static final Pattern OUTPUT_NAME = Pattern.compile("[A-Za-z0-9_-]+");

    private final PluginRegistry registry;
    private final Scope scope;
    private final GrantPolicy grantPolicy;

    /** A validator of definitions ({@link Scope#DEFINITION}). */
    public PipelineValidator(PluginRegistry registry) {
        this(registry, Scope.DEFINITION);
    }

    /** A validator where each stage's {@code grants:} are what it is granted ({@link GrantPolicy#pipeline()}). */
    public PipelineValidator(PluginRegistry registry, Scope scope) {
        this(registry, scope, GrantPolicy.pipeline());
    }

    public PipelineValidator(PluginRegistry registry, Scope scope, GrantPolicy grantPolicy) {
        this.registry = registry;
        this.scope = scope;
        this.grantPolicy = grantPolicy;
    }

    /** Validates a definition parsed without problems (or built in code). */
    public PipelinePlan validate(PipelineDefinition def) {
        return validate(ParsedPipeline.of(def));
    }

    /**
     * Validates what the parser read, reporting the parser's problems and this validation's together.
     *
     * @throws InvalidConfigException with every problem, in file order
     */
    public PipelinePlan validate(ParsedPipeline parsed) {
        PipelineDefinition def = parsed.definition();
        List<Problem> problems = new ArrayList<>(parsed.problems());
        boolean[] graphComplete = {true};
        Map<String, List<String>> downstream = graph(parsed, problems, graphComplete);
        checkCycles(def, problems);

        // every routing is checked, even where parallelism 1 leaves it unused, so a typo fails early
        Map<RoutingDefinition, ComponentPlan> routers = new HashMap<>();
        List<RoutingDefinition> routings = new ArrayList<>();
        if (def.policies().routing() != null) routings.add(def.policies().routing());
        for (StageDefinition s : def.stages()) {
            if (s.routing() != null) routings.add(s.routing());
        }
        for (RoutingDefinition rd : routings) {
            ComponentPlan router = component(def, rd.strategy(), ComponentKind.KEY_ROUTER, POLICIES, 1, problems);
            if (router != null) routers.put(rd, router);
        }

        Map<String, StagePlan> planned = new LinkedHashMap<>();
        Map<String, List<String>> declaredOutputs = new HashMap<>();
        for (StageDefinition s : def.stages()) {
            int instances = s.role() == StageRole.PROCESSOR
                    ? (s.elastic() != null
                            ? s.elastic().max()
                            : s.parallelism() != null
                                    ? s.parallelism()
                                    : def.runtime().parallelism())
                    : 1;
            if (s.component() == null) continue; // its 'use:' is already reported
            ComponentPlan c = component(def, s.component(), s.role().kind(), s.name(), instances, problems);
            RoutingPlan routing = null;
            RoutingDefinition rd =
                    s.routing() != null ? s.routing() : def.policies().routing();
            if (s.elastic() != null && rd != null) checkElasticRouting(s, rd, problems);
            if (instances > 1 && rd != null) {
                ComponentPlan router = routers.get(rd);
                if (router != null) routing = new RoutingPlan(rd.key(), router);
            }
            List<String> outputs = c == null ? null : outputs(s, c, problems);
            if (outputs != null) declaredOutputs.put(s.name(), outputs);
            if (c != null)
                planned.put(
                        s.name(),
                        new StagePlan(s, c, instances, routing, downstream.getOrDefault(s.name(), List.of())));
        }

        checkOutputs(def, declaredOutputs, graphComplete[0], downstream.keySet(), problems);
        checkThreads(def, problems);

        PoliciesDefinition p = def.policies();
        ComponentPlan retry =
                p.retry() == null ? null : component(def, p.retry(), ComponentKind.RETRY_POLICY, POLICIES, 1, problems);
        ComponentPlan errorPolicy = null;
        ComponentPlan deadLetter = null;
        if (p.errors() != null) {
            errorPolicy = component(def, p.errors().onError(), ComponentKind.ERROR_POLICY, POLICIES, 1, problems);
            if (p.errors().deadLetter() != null) {
                deadLetter =
                        component(def, p.errors().deadLetter(), ComponentKind.SINK, DEAD_LETTER_STAGE, 1, problems);
            }
        }
        if (!problems.isEmpty()) {
            // Plugins' messages quote values (a path, a wrong value), which may have come from a secret.
            throw new InvalidConfigException(
                    def.redactor() == null
                            ? problems
                            : problems.stream()
                                    .map(x -> new Problem(
                                            x.location(), def.redactor().redact(x.message())))
                                    .toList());
        }
        return new PipelinePlan(def, topologicalOrder(def, planned), retry, errorPolicy, deadLetter);
    }

    /**
     * {@code runtime.max_threads}: the stages' worker threads (one per source and sink, each processor's
     * {@code parallelism}, an elastic processor's {@code max}, the dead-letter sink's) must fit, so the run's CPU
     * share is bounded before it starts rather than by threads refused while it runs.
     */
    private static void checkThreads(PipelineDefinition def, List<Problem> problems) {
        int cap = def.runtime().limits().maxThreads();
        if (cap == 0) return;
        int threads = 0;
        List<String> parts = new ArrayList<>();
        for (StageDefinition s : def.stages()) {
            int n = s.role() == StageRole.PROCESSOR
                    ? (s.elastic() != null
                            ? s.elastic().max()
                            : s.parallelism() != null
                                    ? s.parallelism()
                                    : def.runtime().parallelism())
                    : 1;
            threads += n;
            if (n > 1) parts.add(s.name() + ": " + n);
        }
        if (def.policies().errors() != null && def.policies().errors().deadLetter() != null) threads++;
        if (threads > cap)
            problems.add(new Problem(
                    def.location(),
                    "runtime.max_threads " + cap + ": the stages need " + threads
                            + " worker threads (one per source and sink, a processor's parallelism"
                            + (parts.isEmpty() ? "" : " " + parts)
                            + "): lower parallelism (or an elastic max) or raise max_threads"));
    }

    /**
     * The named outputs the processor at {@code s} declares for its configuration (none for other stages); a
     * name that is invalid or declared twice is reported and left out. Null when the plugin failed to say (reported:
     * what reads its outputs is then not checked).
     */
    private static List<String> outputs(StageDefinition s, ComponentPlan c, List<Problem> problems) {
        List<String> outputs;
        try {
            outputs = c.outputs();
        } catch (RuntimeException e) {
            problems.add(new Problem(
                    s.component().useLocation(),
                    c.component().describe() + " could not say its outputs: " + message(e)));
            return null;
        }
        Set<String> seen = new HashSet<>();
        List<String> valid = new ArrayList<>();
        for (String o : outputs) {
            if (o != null && OUTPUT_NAME.matcher(o).matches() && seen.add(o)) {
                valid.add(o);
            } else {
                problems.add(new Problem(
                        s.component().useLocation(),
                        s.role().label() + " '" + s.name() + "': output '" + o + "' is "
                                + (o != null
                                                && seen.contains(o)
                                                && OUTPUT_NAME.matcher(o).matches()
                                        ? "declared twice"
                                        : "not a valid output name (letters, digits, '_' and '-')")));
            }
        }
        return valid;
    }

    /**
     * Every {@code from: stage.output} names an output the stage declares, a stage with named outputs is
     * read only through them, and (when the graph is complete) every named output is read by some stage; a stage
     * read by none ({@code feeding} lacks it) is reported as feeding nothing already. Stages whose component could
     * not be resolved are skipped: their outputs are unknown.
     */
    private static void checkOutputs(
            PipelineDefinition def,
            Map<String, List<String>> declared,
            boolean graphComplete,
            Set<String> feeding,
            List<Problem> problems) {
        Map<String, Set<String>> read = new HashMap<>();
        Set<String> misread = new HashSet<>(); // its unread outputs would only repeat the problem reported
        for (StageDefinition s : def.stages()) {
            for (int i = 0; i < s.from().size(); i++) {
                StageRef ref = def.ref(s.from().get(i));
                List<String> outs = declared.get(ref.stage());
                if (outs == null || ref.stage().equals(s.name())) continue; // unknown stage or component: reported
                Location at = s.fromLocations().get(i);
                if (ref.output() != null && !outs.contains(ref.output())) {
                    misread.add(ref.stage());
                    problems.add(new Problem(
                            at,
                            s.role().label() + " '" + s.name() + "' reads from '" + ref + "', but '" + ref.stage()
                                    + "' has "
                                    + (outs.isEmpty()
                                            ? "no named outputs: read it as '" + ref.stage() + "'"
                                            : "no output '" + ref.output() + "'"
                                                    + Suggestions.didYouMean(ref.output(), outs) + "; its outputs: "
                                                    + String.join(", ", outs))));
                } else if (ref.output() == null && !outs.isEmpty()) {
                    misread.add(ref.stage());
                    problems.add(new Problem(
                            at,
                            s.role().label() + " '" + s.name() + "' reads from '" + ref.stage() + "', which emits"
                                    + " only to its named outputs (" + String.join(", ", outs) + "): read one as '"
                                    + ref.stage() + "." + outs.get(0) + "'"));
                } else if (ref.output() != null) {
                    read.computeIfAbsent(ref.stage(), k -> new HashSet<>()).add(ref.output());
                }
            }
        }
        if (!graphComplete) return;
        for (StageDefinition s : def.stages()) {
            if (misread.contains(s.name()) || !feeding.contains(s.name())) continue;
            for (String o : declared.getOrDefault(s.name(), List.of())) {
                if (read.getOrDefault(s.name(), Set.of()).contains(o)) continue;
                problems.add(new Problem(
                        s.location(),
                        s.role().label() + " '" + s.name() + "': output '" + o + "' feeds nothing: its records would"
                                + " be lost; read it with 'from: " + s.name() + "." + o + "' in a processor or sink"));
            }
        }
    }

    private static Map<String, List<String>> graph(ParsedPipeline parsed, List<Problem> problems, boolean[] complete) {
        PipelineDefinition def = parsed.definition();
        Map<String, List<String>> downstream = new HashMap<>();
        if (!parsed.rolesWritten().contains(StageRole.SOURCE)) {
            problems.add(new Problem(def.location(), "the pipeline has no sources: add a 'sources:' section"));
        }
        if (!parsed.rolesWritten().contains(StageRole.SINK)) {
            problems.add(new Problem(
                    def.location(), "the pipeline has no sinks: add a 'sinks:' section (records must go somewhere)"));
        }
        Set<String> names = parsed.stageNames();
        boolean dangling = false;
        for (StageDefinition s : def.stages()) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < s.from().size(); i++) {
                String written = s.from().get(i);
                String f = StageRef.of(written, names::contains).stage();
                Location at = s.fromLocations().get(i);
                StageDefinition up = def.stage(f);
                if (up == null && names.contains(f)) {
                    dangling = true; // written, but could not be read: already reported
                } else if (up == null) {
                    dangling = true;
                    problems.add(new Problem(
                            at,
                            s.role().label() + " '" + s.name() + "' reads from '" + f + "', which is not a stage"
                                    + stageHint(f, names) + "; stages: " + String.join(", ", names)));
                } else if (up.role() == StageRole.SINK) {
                    dangling = true;
                    problems.add(new Problem(at, "'" + f + "' is a sink: sinks have no output to read from"));
                } else if (f.equals(s.name())) {
                    dangling = true;
                    problems.add(new Problem(at, "'" + s.name() + "' cannot read from itself"));
                } else if (!seen.add(written)) {
                    problems.add(new Problem(at, "'" + written + "' is listed twice in 'from'"));
                } else {
                    List<String> down = downstream.computeIfAbsent(f, k -> new ArrayList<>());
                    if (!down.contains(s.name())) down.add(s.name()); // once, though it may read several outputs
                }
            }
        }
        // With edges missing (or no sink to reach), "feeds nothing" would only repeat the problems that caused it.
        if (dangling || parsed.fromIncomplete() || !parsed.rolesWritten().contains(StageRole.SINK)) {
            complete[0] = false;
            return downstream;
        }
        for (StageDefinition s : def.stages()) {
            if (s.role() != StageRole.SINK && !downstream.containsKey(s.name())) {
                problems.add(
                        new Problem(
                                s.location(),
                                s.role().label() + " '" + s.name()
                                        + "' feeds nothing: its records would be lost; name it in the 'from:' of a processor or sink"));
            }
        }
        return downstream;
    }

    /** "Did you mean" for a name that is no stage; for {@code routr.high} the stage part is matched, output kept. */
    private static String stageHint(String written, Set<String> names) {
        String hint = Suggestions.didYouMean(written, names);
        int dot = written.lastIndexOf('.');
        if (!hint.isEmpty() || dot <= 0) return hint;
        String near = Suggestions.nearest(written.substring(0, dot), names);
        return near == null ? "" : " (did you mean '" + near + written.substring(dot) + "'?)";
    }

    private static void checkCycles(PipelineDefinition def, List<Problem> problems) {
        Map<String, Integer> state = new HashMap<>(); // 1 = on the path, 2 = done
        for (StageDefinition s : def.stages()) {
            if (!state.containsKey(s.name())) visit(def, s, state, new ArrayDeque<>(), problems);
        }
    }

    private static void visit(
            PipelineDefinition def,
            StageDefinition s,
            Map<String, Integer> state,
            Deque<String> path,
            List<Problem> problems) {
        state.put(s.name(), 1);
        path.addLast(s.name());
        for (String written : s.from()) {
            String f = def.ref(written).stage();
            StageDefinition up = def.stage(f);
            if (up == null || f.equals(s.name())) continue;
            Integer st = state.get(f);
            if (st == null) {
                visit(def, up, state, path, problems);
            } else if (st == 1) {
                List<String> cycle = new ArrayList<>();
                boolean in = false;
                for (String p : path) {
                    if (p.equals(f)) in = true;
                    if (in) cycle.add(p);
                }
                cycle.add(f);
                problems.add(new Problem(
                        s.location(), "cycle: " + String.join(" <- ", cycle) + " (a pipeline must be a DAG)"));
            }
        }
        path.removeLast();
        state.put(s.name(), 2);
    }

    private static List<StagePlan> topologicalOrder(PipelineDefinition def, Map<String, StagePlan> planned) {
        List<StagePlan> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        boolean progress = true;
        while (out.size() < planned.size() && progress) {
            progress = false;
            for (StagePlan s : planned.values()) {
                if (!done.contains(s.name())
                        && s.definition().from().stream()
                                .allMatch(f -> done.contains(def.ref(f).stage()))) {
                    out.add(s);
                    done.add(s.name());
                    progress = true;
                }
            }
        }
        return out;
    }

    private ComponentPlan component(
            PipelineDefinition def,
            ComponentUse use,
            ComponentKind kind,
            String stage,
            int instances,
            List<Problem> problems) {
        ResolvedComponent rc;
        try {
            rc = registry.resolve(kind, use.use(), def.baseDir());
        } catch (ResolutionException e) {
            problems.add(new Problem(use.useLocation(), e.getMessage()));
            return null;
        }
        Grants grants = grants(use, rc, stage, problems);
        Object raw = use.with().toPlain();
        @SuppressWarnings("unchecked")
        Map<String, Object> options = (Map<String, Object>) raw;
        PluginConfig config;
        try {
            config = rc.factory().configSpec().validate(options);
            rc.factory().validate(config);
        } catch (ConfigException e) {
            report(use, rc, e, problems);
            return null;
        } catch (RuntimeException e) {
            problems.add(new Problem(use.useLocation(), rc.describe() + " rejected its configuration: " + message(e)));
            return null;
        }
        // A component that is not granted what it requests is not started, not even to preflight.
        if (grants == null) return null;
        // Values with unresolved references are reported already: checking resources with them means nothing.
        if (scope == Scope.RUN && !use.with().containsUnresolved()) {
            try {
                rc.factory()
                        .preflight(new PreflightContext(config, def.name(), stage, instances, def.baseDir(), grants));
            } catch (ConfigException e) {
                report(use, rc, e, problems);
                return null;
            } catch (RuntimeException e) {
                problems.add(new Problem(use.useLocation(), rc.describe() + " cannot start: " + message(e)));
                return null;
            }
        }
        return new ComponentPlan(rc, config, grants);
    }

    /**
     * What the component at {@code stage} is granted, or null (with the problems) when a written grant is
     * beyond what the policy allows its plugin or a capability its manifest requests is not granted.
     */
    private Grants grants(ComponentUse use, ResolvedComponent rc, String stage, List<Problem> problems) {
        String pluginId = rc.plugin().manifest().getPluginId();
        String where = DEAD_LETTER_STAGE.equals(stage) || POLICIES.equals(stage) ? stage : "stage '" + stage + "'";
        GrantsDefinition written = use.grants();
        boolean beyond = false;
        if (written != null && grantPolicy.bounded()) {
            Grants operator = grantPolicy.operatorGrants(pluginId);
            for (int i = 0; i < written.capabilities().size(); i++) {
                String c = written.capabilities().get(i);
                if (grantPolicy.allows(pluginId, c)) continue;
                beyond = true;
                problems.add(new Problem(
                        written.locations().get(i),
                        where + ": grant '" + c + "' is not granted to plugin " + pluginId + " by the server"
                                + " (it grants " + sorted(operator.all()) + "; its operator adds grants under"
                                + " server.grants." + pluginId + ")"));
            }
        }
        Grants grants = written != null
                ? written.grants()
                : grantPolicy.bounded() ? grantPolicy.operatorGrants(pluginId) : Grants.defaults();
        // A grants: list that could not be read is reported already: what it was meant to grant is unknown.
        if (written != null && !written.complete()) return null;
        List<String> requested = rc.plugin().manifest().capabilities();
        List<String> missing = grants.missing(requested);
        if (!missing.isEmpty()) {
            String fix = grantPolicy.bounded() && written == null
                    ? "the server must grant plugin " + pluginId + " " + placeholders(missing) + " under server.grants."
                            + pluginId + " (a stage may narrow it with grants:)"
                    : "add grants: " + placeholders(missing) + " to "
                            + (where.startsWith("stage") ? "the stage" : where);
            problems.add(new Problem(
                    use.useLocation(),
                    where + ": plugin " + rc.pluginLabel() + " requests " + requested + "; granted "
                            + sorted(grants.all()) + "; missing " + missing + ": " + fix));
            return null;
        }
        return beyond ? null : grants;
    }

    /** The granted capabilities, plugin-local ones first, the rest in order (a set has none of its own). */
    private static List<String> sorted(Set<String> capabilities) {
        List<String> out = new ArrayList<>(new TreeSet<>(Grants.PLUGIN_LOCAL));
        new TreeSet<>(capabilities).stream().filter(c -> !out.contains(c)).forEach(out::add);
        return out;
    }

    /** The missing capabilities as an operator would grant them: wildcard patterns as a placeholder to narrow. */
    private static List<String> placeholders(List<String> missing) {
        List<String> out = new ArrayList<>();
        for (String m : missing) {
            String p = m;
            if (m.startsWith("http:") && m.contains("*")) p = "http:HOST";
            else if (m.startsWith("file:read:") && m.contains("*")) p = "file:read:GLOB";
            else if (m.startsWith("file:write:") && m.contains("*")) p = "file:write:GLOB";
            else if (m.equals("env:*")) p = "env:NAME";
            if (!out.contains(p)) out.add(p);
        }
        return out;
    }

    /** Each error at its option's line, except errors about values whose references did not resolve (already reported). */
    private static void report(ComponentUse use, ResolvedComponent rc, ConfigException e, List<Problem> problems) {
        for (ConfigError err : e.errors()) {
            ConfigNode value = option(use, err.field());
            if (value != null && value.containsUnresolved()) continue;
            problems.add(new Problem(locate(use, err.field()), rc.name() + ": " + err));
        }
    }

    private static String message(RuntimeException e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The value of {@code field} (a dotted path) under {@code with:}, or null when it is not written. */
    private static ConfigNode option(ComponentUse use, String field) {
        if (field == null || field.isEmpty()) return null;
        ConfigNode n = use.with();
        for (String part : field.split("\\.")) {
            if (n instanceof MapNode m && m.has(part)) {
                n = m.get(part);
            } else if (n instanceof ListNode l
                    && part.matches("\\d+")
                    && Integer.parseInt(part) < l.items().size()) {
                n = l.items().get(Integer.parseInt(part));
            } else {
                return null;
            }
        }
        return n;
    }

    /** The location of {@code field} (a dotted path) under {@code with:}, or the nearest enclosing one. */
    static Location locate(ComponentUse use, String field) {
        if (field == null || field.isEmpty()) return use.useLocation();
        MapNode m = use.with();
        Location at = m.size() == 0 ? use.useLocation() : m.location();
        for (String part : field.split("\\.")) {
            if (m == null || !m.has(part)) return at;
            at = m.keyLocation(part);
            ConfigNode v = m.get(part);
            m = v instanceof MapNode vm ? vm : null;
        }
        return at;
    }

    /** Strategies that keep a key on one instance, which elastic parallelism implements with key groups. */
    private static final List<String> ELASTIC_STRATEGIES = List.of("hash", "sticky");

    /**
     * An elastic stage routes by key group (a key stays with its group's instance, and groups move only at a
     * rescale barrier): of the key routers, {@code hash} and {@code sticky} mean that; {@code round_robin} and
     * router plugins would spread or place a key elsewhere, so they are refused.
     */
    private static void checkElasticRouting(StageDefinition s, RoutingDefinition rd, List<Problem> problems) {
        String strategy = rd.strategyReference().name();
        if (!rd.strategyReference().path() && ELASTIC_STRATEGIES.contains(strategy)) return;
        problems.add(new Problem(
                rd.strategy().useLocation(),
                "processor '" + s.name() + "': routing.strategy '" + strategy + "' cannot be used with elastic "
                        + "parallelism (parallelism: {min, max, ...}): use hash or sticky, which route by key group"));
    }
}
