package io.dataflare.cli.server.task;

import io.dataflare.engine.Engine;
import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.config.MapNode;
import io.dataflare.engine.config.Redactor;
import io.dataflare.engine.config.SecretResolver;
import io.dataflare.engine.config.Substitution;
import io.dataflare.engine.pipeline.PipelineDefinition;
import io.dataflare.engine.pipeline.PipelineParser;
import io.dataflare.engine.pipeline.PipelinePlan;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Turns a task's pipeline text into a validated plan: substitutes {@code ${ENV}} and {@code ${secret:...}}
 * (each compilation records its own secrets, to mask them), parses, names the pipeline after the task (so
 * that runs, checkpoints, metrics and the built-in components of two tasks never mix), and validates it
 * against the installed plugins.
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
    public record Compiled(PipelinePlan plan, String pipelineName) {
    }

    private final Engine engine;
    private final Function<String, String> env;
    private final SecretResolver secrets;

    public TaskCompiler(Engine engine, Function<String, String> env, SecretResolver secrets) {
        this.engine = engine;
        this.env = env;
        this.secrets = secrets;
    }

    /** A fresh substitution (with its own redactor) for reading one configuration. */
    public Substitution substitution() {
        return new Substitution(env, secrets, new Redactor());
    }

    /** Compiles a stored or submitted pipeline text. */
    public Compiled compile(TaskSpec spec) {
        Substitution s = substitution();
        MapNode root = new ConfigReader(s).read(spec.text(), spec.sourceName(), spec.readerFormat());
        return compile(spec.id(), root, spec.sourceName(), spec.base(), s);
    }

    /**
     * Compiles a pipeline already read (part of a request body or of a config file, so that problems point
     * into it) with the substitution that read it.
     */
    public Compiled compile(String id, MapNode pipeline, String source, Path baseDir, Substitution s) {
        PipelineDefinition d = new PipelineParser(s).parse(pipeline, source, baseDir, id);
        PipelineDefinition named = new PipelineDefinition(id, id, d.source(), d.baseDir(), d.stages(), d.policies(), d.runtime(),
                d.redactor());
        return new Compiled(engine.validate(named), d.name());
    }
}
