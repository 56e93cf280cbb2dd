package io.dataflare.server.task;

import io.dataflare.engine.Engine;
import io.dataflare.engine.config.ConfigDocument;
import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.config.Location;
import io.dataflare.engine.config.MapNode;
import io.dataflare.engine.config.Redactor;
import io.dataflare.engine.config.SecretResolver;
import io.dataflare.engine.config.Substitution;
import io.dataflare.engine.pipeline.GrantPolicy;
import io.dataflare.engine.pipeline.ParsedPipeline;
import io.dataflare.engine.pipeline.PipelineParser;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.pipeline.PipelineValidator;
import io.dataflare.engine.pipeline.RuntimeSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns a task's pipeline text into a validated plan: substitutes {@code ${ENV}} and {@code ${secret:...}}
 * (each compilation records its own secrets, to mask them), parses, names the pipeline after the task (so
 * that runs, checkpoints, metrics and the built-in components of two tasks never mix), and validates it
 * against the installed plugins and the server's per-plugin grants (a stage may hold only grants within its
 * plugin's; one that lists none gets them).
 *
 * @throws io.dataflare.engine.config.InvalidConfigException (from each method) listing every located problem
 */
public final class TaskCompiler {
    /**
     * A compiled task pipeline.
     *
     * @param plan         the plan, named after the task
     * @param pipelineName the name the pipeline gives itself ({@code name:}, or the task id)
     */
    public record Compiled(PipelinePlan plan, String pipelineName) {}

    private final Engine engine;
    private final Function<String, String> env;
    private final SecretResolver secrets;
    private final GrantPolicy grants;

    /** A compiler whose tasks' stages may hold no grants beyond the plugin-local ones. */
    public TaskCompiler(Engine engine, Function<String, String> env, SecretResolver secrets) {
        this(engine, env, secrets, GrantPolicy.perPlugin(Map.of()));
    }

    /** A compiler whose tasks' stages may hold what {@code grants} (the server's per-plugin grants) allows. */
    public TaskCompiler(Engine engine, Function<String, String> env, SecretResolver secrets, GrantPolicy grants) {
        this.engine = engine;
        this.env = env;
        this.secrets = secrets;
        this.grants = grants;
    }

    /** A fresh substitution (with its own redactor) for reading one configuration. */
    public Substitution substitution() {
        return new Substitution(env, secrets, new Redactor());
    }

    /** Compiles a stored or submitted pipeline text. */
    public Compiled compile(TaskSpec spec) {
        Substitution s = substitution();
        ConfigDocument doc = new ConfigReader(s).readDocument(spec.text(), spec.sourceName(), spec.readerFormat());
        return compile(spec.id(), doc, spec.sourceName(), spec.base(), s);
    }

    /**
     * Compiles a pipeline already read (part of a request body or of a config file, so that problems point
     * into it) with the substitution that read it.
     */
    public Compiled compile(String id, MapNode pipeline, String source, Path baseDir, Substitution s) {
        return compile(id, new ConfigDocument(pipeline, List.of()), source, baseDir, s);
    }

    /** Parses and validates in one pass: the reading problems, the parser's and the validator's together. */
    private Compiled compile(String id, ConfigDocument doc, String source, Path baseDir, Substitution s) {
        ParsedPipeline parsed = new PipelineParser(s).read(doc, source, baseDir, id);
        // Tasks are kept to run later: their inputs need not exist yet (a run reports what is missing then).
        PipelinePlan plan = engine.validate(parsed.named(id), PipelineValidator.Scope.DEFINITION, grants);
        if (RuntimeSettings.FLINK.equals(plan.definition().runtime().engine())) {
            // a task runs in the server's engine: running it here would silently not be what the file asks for
            throw new InvalidConfigException(
                    Location.of(source),
                    "runtime.engine: flink: the server runs tasks on its own engine; run this pipeline with"
                            + " `dataflare run` (cloud mode), or remove runtime.engine");
        }
        return new Compiled(plan, parsed.definition().name());
    }
}
