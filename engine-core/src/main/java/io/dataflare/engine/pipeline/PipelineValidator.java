package io.dataflare.engine.pipeline;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.config.ConfigError;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.engine.config.ConfigNode;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.config.Location;
import io.dataflare.engine.config.MapNode;
import io.dataflare.engine.config.Problem;
import io.dataflare.engine.config.Suggestions;
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

/**
 * Checks a parsed pipeline against the graph rules and the installed plugins, before anything runs:
 * {@code from:} names existing stages, there is no cycle, every record has somewhere to go, every
 * {@code use:} resolves to a component of the right kind and version, every {@code with:} passes the
 * component's {@code ConfigSpec}. Returns a {@link PipelinePlan} or throws
 * {@link InvalidConfigException} with every problem located.
 */
public final class PipelineValidator {
    private final PluginRegistry registry;

    public PipelineValidator(PluginRegistry registry) {
        this.registry = registry;
    }

    public PipelinePlan validate(PipelineDefinition def) {
        List<Problem> problems = new ArrayList<>();
        Map<String, List<String>> downstream = graph(def, problems);
        checkCycles(def, problems);

        // every routing is checked, even where parallelism 1 leaves it unused, so a typo fails early
        Map<RoutingDefinition, ComponentPlan> routers = new HashMap<>();
        List<RoutingDefinition> routings = new ArrayList<>();
        if (def.policies().routing() != null) routings.add(def.policies().routing());
        for (StageDefinition s : def.stages()) {
            if (s.routing() != null) routings.add(s.routing());
        }
        for (RoutingDefinition rd : routings) {
            ComponentPlan router = component(def, rd.strategy(), ComponentKind.KEY_ROUTER, problems);
            if (router != null) routers.put(rd, router);
        }

        Map<String, StagePlan> planned = new LinkedHashMap<>();
        for (StageDefinition s : def.stages()) {
            ComponentPlan c = component(def, s.component(), s.role().kind(), problems);
            int instances = s.role() == StageRole.PROCESSOR
                    ? (s.parallelism() != null ? s.parallelism() : def.runtime().parallelism()) : 1;
            RoutingPlan routing = null;
            RoutingDefinition rd = s.routing() != null ? s.routing() : def.policies().routing();
            if (instances > 1 && rd != null) {
                ComponentPlan router = routers.get(rd);
                if (router != null) routing = new RoutingPlan(rd.key(), router);
            }
            if (c != null) planned.put(s.name(), new StagePlan(s, c, instances, routing, downstream.getOrDefault(s.name(), List.of())));
        }

        PoliciesDefinition p = def.policies();
        ComponentPlan retry = p.retry() == null ? null : component(def, p.retry(), ComponentKind.RETRY_POLICY, problems);
        ComponentPlan errorPolicy = null;
        ComponentPlan deadLetter = null;
        if (p.errors() != null) {
            errorPolicy = component(def, p.errors().onError(), ComponentKind.ERROR_POLICY, problems);
            if (p.errors().deadLetter() != null) {
                deadLetter = component(def, p.errors().deadLetter(), ComponentKind.SINK, problems);
            } else if (p.errors().onError().use().name().equals("dead-letter")) {
                problems.add(new Problem(p.errors().onError().useLocation(),
                        "on_error: dead-letter needs a 'dead_letter:' sink next to it (e.g. dead_letter: { use: jsonl-file, with: { path: dlq.jsonl } })"));
            }
        }
        if (!problems.isEmpty()) throw new InvalidConfigException(problems);
        return new PipelinePlan(def, topologicalOrder(planned), retry, errorPolicy, deadLetter);
    }

    private static Map<String, List<String>> graph(PipelineDefinition def, List<Problem> problems) {
        Map<String, List<String>> downstream = new HashMap<>();
        if (def.stages(StageRole.SOURCE).isEmpty()) {
            problems.add(new Problem(def.location(), "the pipeline has no sources: add a 'sources:' section"));
        }
        if (def.stages(StageRole.SINK).isEmpty()) {
            problems.add(new Problem(def.location(), "the pipeline has no sinks: add a 'sinks:' section (records must go somewhere)"));
        }
        Set<String> names = new HashSet<>();
        for (StageDefinition s : def.stages()) names.add(s.name());
        for (StageDefinition s : def.stages()) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < s.from().size(); i++) {
                String f = s.from().get(i);
                Location at = s.fromLocations().get(i);
                StageDefinition up = def.stage(f);
                if (up == null) {
                    problems.add(new Problem(at, s.role().label() + " '" + s.name() + "' reads from '" + f + "', which is not a stage"
                            + Suggestions.didYouMean(f, names) + "; stages: " + String.join(", ", names)));
                } else if (up.role() == StageRole.SINK) {
                    problems.add(new Problem(at, "'" + f + "' is a sink: sinks have no output to read from"));
                } else if (f.equals(s.name())) {
                    problems.add(new Problem(at, "'" + s.name() + "' cannot read from itself"));
                } else if (!seen.add(f)) {
                    problems.add(new Problem(at, "'" + f + "' is listed twice in 'from'"));
                } else {
                    downstream.computeIfAbsent(f, k -> new ArrayList<>()).add(s.name());
                }
            }
        }
        if (!problems.isEmpty()) return downstream; // "feeds nothing" would only repeat those problems
        for (StageDefinition s : def.stages()) {
            if (s.role() != StageRole.SINK && !downstream.containsKey(s.name())) {
                problems.add(new Problem(s.location(), s.role().label() + " '" + s.name()
                        + "' feeds nothing: its records would be lost; name it in the 'from:' of a processor or sink"));
            }
        }
        return downstream;
    }

    private static void checkCycles(PipelineDefinition def, List<Problem> problems) {
        Map<String, Integer> state = new HashMap<>(); // 1 = on the path, 2 = done
        for (StageDefinition s : def.stages()) {
            if (!state.containsKey(s.name())) visit(def, s, state, new ArrayDeque<>(), problems);
        }
    }

    private static void visit(PipelineDefinition def, StageDefinition s, Map<String, Integer> state, Deque<String> path, List<Problem> problems) {
        state.put(s.name(), 1);
        path.addLast(s.name());
        for (String f : s.from()) {
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
                problems.add(new Problem(s.location(), "cycle: " + String.join(" <- ", cycle) + " (a pipeline must be a DAG)"));
            }
        }
        path.removeLast();
        state.put(s.name(), 2);
    }

    private static List<StagePlan> topologicalOrder(Map<String, StagePlan> planned) {
        List<StagePlan> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        boolean progress = true;
        while (out.size() < planned.size() && progress) {
            progress = false;
            for (StagePlan s : planned.values()) {
                if (!done.contains(s.name()) && done.containsAll(s.definition().from())) {
                    out.add(s);
                    done.add(s.name());
                    progress = true;
                }
            }
        }
        return out;
    }

    private ComponentPlan component(PipelineDefinition def, ComponentUse use, ComponentKind kind, List<Problem> problems) {
        ResolvedComponent rc;
        try {
            rc = registry.resolve(kind, use.use(), def.baseDir());
        } catch (ResolutionException e) {
            problems.add(new Problem(use.useLocation(), e.getMessage()));
            return null;
        }
        Object raw = use.with().toPlain();
        @SuppressWarnings("unchecked")
        Map<String, Object> options = (Map<String, Object>) raw;
        try {
            PluginConfig config = rc.factory().configSpec().validate(options);
            rc.factory().validate(config);
            return new ComponentPlan(rc, config);
        } catch (ConfigException e) {
            for (ConfigError err : e.errors()) {
                problems.add(new Problem(locate(use, err.field()), rc.name() + ": " + err));
            }
        } catch (RuntimeException e) {
            problems.add(new Problem(use.useLocation(), rc.name() + " (" + rc.pluginLabel() + ") rejected its configuration: " + e));
        }
        return null;
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
}
