package io.dataflare.engine.replay;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigOption;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.data.Record;
import io.dataflare.api.policy.ErrorAction;
import io.dataflare.api.policy.ErrorPolicy;
import io.dataflare.api.policy.ErrorPolicyFactory;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.config.Location;
import io.dataflare.engine.config.MapNode;
import io.dataflare.engine.config.Problem;
import io.dataflare.engine.host.Grants;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.host.PluginManifest;
import io.dataflare.engine.pipeline.ComponentPlan;
import io.dataflare.engine.pipeline.ComponentUse;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.pipeline.StageDefinition;
import io.dataflare.engine.pipeline.StagePlan;
import io.dataflare.engine.pipeline.StageRole;
import io.dataflare.engine.plugin.PluginReference;
import io.dataflare.engine.plugin.PluginRegistry;
import io.dataflare.engine.plugin.ResolutionException;
import io.dataflare.engine.plugin.ResolvedComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Re-injects dead letters into the pipeline that produced them, after a fix: each record goes back into
 * the stage that failed it (a processor or a sink) and flows on from there; only the stages downstream of
 * those run, and the sources do not. Sinks with an {@code append} option append (the earlier output stays);
 * records that fail again are dead-lettered to a new file, so nothing is lost. Dead letters of a source
 * (bad input lines) are not replayed: fix the input and run the pipeline again.
 *
 * @param plan         the pipeline to run
 * @param replayed     dead letters fed back, by stage
 * @param notReplayed  dead letters of sources, by source
 */
public record Replay(PipelinePlan plan, Map<String, Integer> replayed, Map<String, Integer> notReplayed) {
    private static final String PLUGIN_ID = "dataflare-replay";

    /**
     * Plans the replay of {@code letters} into {@code pipeline}; dead letters that fail again go to
     * {@code deadLetterFile} (JSON lines).
     *
     * @throws InvalidConfigException when a dead letter names a stage the pipeline does not have
     */
    public static Replay plan(
            PipelinePlan pipeline,
            List<DeadLetter> letters,
            Path deadLetterFile,
            Path dlqSource,
            PluginRegistry registry) {
        Map<String, List<Record>> byStage = new LinkedHashMap<>();
        Map<String, Integer> notReplayed = new TreeMap<>();
        List<Problem> problems = new ArrayList<>();
        for (DeadLetter d : letters) {
            StagePlan s = pipeline.stage(d.stage());
            if (s == null) {
                problems.add(new Problem(
                        new Location(dlqSource.toString(), d.line(), 1),
                        "dead letter from stage '" + d.stage() + "', which pipeline '" + pipeline.name()
                                + "' does not have"));
            } else if (s.role() == StageRole.SOURCE) {
                notReplayed.merge(d.stage(), 1, Integer::sum);
            } else {
                byStage.computeIfAbsent(d.stage(), k -> new ArrayList<>()).add(d.record());
            }
        }
        if (!problems.isEmpty()) throw new InvalidConfigException(problems);

        Set<String> kept = downstreamOf(pipeline, byStage.keySet());
        List<Object> factories = new ArrayList<>();
        List<StagePlan> stages = new ArrayList<>();
        Map<String, Integer> replayed = new TreeMap<>();
        for (Map.Entry<String, List<Record>> e : byStage.entrySet()) {
            String name = "replay-" + e.getKey();
            replayed.put(e.getKey(), e.getValue().size());
            factories.add(new ReplaySource(name, e.getValue()));
        }
        ErrorPolicyFactory deadLetterAgain = new ErrorPolicyFactory() {
            @Override
            public String name() {
                return "replay-dead-letter";
            }

            @Override
            public ErrorPolicy create(PluginContext context) {
                return f -> ErrorAction.DEAD_LETTER;
            }
        };
        factories.add(deadLetterAgain);
        @SuppressWarnings({"unchecked", "rawtypes"})
        LoadedPlugin plugin = new LoadedPlugin(
                PluginManifest.builder(PLUGIN_ID, registry.engineVersion(), "java")
                        .kinds(List.of("source", "policy"))
                        .description("Dead letters fed back into a pipeline")
                        .build(),
                null,
                (List) factories,
                null);

        int i = 0;
        for (String target : byStage.keySet()) {
            ResolvedComponent rc =
                    new ResolvedComponent(plugin, plugin.components().get(i++));
            StageDefinition def = new StageDefinition(
                    rc.name(),
                    StageRole.SOURCE,
                    use(rc.name()),
                    List.of(),
                    List.of(),
                    null,
                    null,
                    Location.of(dlqSource.toString()));
            stages.add(new StagePlan(
                    def, new ComponentPlan(rc, PluginConfig.empty(), Grants.defaults()), 1, null, List.of(target)));
        }
        for (StagePlan s : pipeline.stages()) {
            if (!kept.contains(s.name())) continue;
            List<String> from = new ArrayList<>();
            List<Location> fromAt = new ArrayList<>();
            for (int k = 0; k < s.definition().from().size(); k++) {
                if (kept.contains(
                        pipeline.definition().ref(s.definition().from().get(k)).stage())) {
                    from.add(s.definition().from().get(k));
                    fromAt.add(s.definition().fromLocations().get(k));
                }
            }
            if (byStage.containsKey(s.name())) {
                from.add("replay-" + s.name());
                fromAt.add(Location.of(dlqSource.toString()));
            }
            StageDefinition d = s.definition();
            StageDefinition def = new StageDefinition(
                    d.name(), d.role(), d.component(), from, fromAt, d.parallelism(), d.routing(), d.location());
            List<String> down = s.downstream().stream().filter(kept::contains).toList();
            ComponentPlan component = s.role() == StageRole.SINK ? appending(s.component()) : s.component();
            stages.add(new StagePlan(def, component, s.instances(), s.routing(), down));
        }
        ComponentPlan errors = new ComponentPlan(
                new ResolvedComponent(plugin, deadLetterAgain), PluginConfig.empty(), Grants.defaults());
        PipelinePlan plan = new PipelinePlan(
                pipeline.definition(),
                stages,
                pipeline.retry(),
                errors,
                deadLetterSink(registry, deadLetterFile, dlqSource));
        return new Replay(plan, replayed, notReplayed);
    }

    private static ComponentUse use(String name) {
        return new ComponentUse(PluginReference.parse(name), Location.UNKNOWN, new MapNode(Location.UNKNOWN));
    }

    /** The stages that records entering {@code targets} can reach, the targets included. */
    private static Set<String> downstreamOf(PipelinePlan plan, Set<String> targets) {
        Set<String> kept = new LinkedHashSet<>(targets);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (StagePlan s : plan.stages()) {
                if (kept.contains(s.name()) && kept.addAll(s.downstream())) grew = true;
            }
        }
        return kept;
    }

    /** A sink with an {@code append} option appends, so the first run's output stays. */
    private static ComponentPlan appending(ComponentPlan c) {
        ConfigOption append = c.component().factory().configSpec().option("append");
        if (append == null) return c;
        Map<String, Object> values = new LinkedHashMap<>(c.config().asMap());
        values.put("append", Boolean.TRUE);
        return new ComponentPlan(c.component(), new PluginConfig(values), c.grants());
    }

    private static ComponentPlan deadLetterSink(PluginRegistry registry, Path file, Path dlqSource) {
        try {
            ResolvedComponent rc = registry.resolve(ComponentKind.SINK, PluginReference.parse("jsonl-file"), null);
            return new ComponentPlan(
                    rc,
                    rc.factory()
                            .configSpec()
                            .validate(Map.of("path", file.toAbsolutePath().toString())),
                    Grants.defaults());
        } catch (ResolutionException e) {
            throw new InvalidConfigException(
                    Location.of(dlqSource.toString()),
                    "replay writes dead letters with the jsonl-file sink: " + e.getMessage());
        }
    }
}
