package io.dataflare.engine;

import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.config.Redactor;
import io.dataflare.engine.config.SecretResolver;
import io.dataflare.engine.config.Substitution;
import io.dataflare.engine.pipeline.GrantPolicy;
import io.dataflare.engine.pipeline.ParsedPipeline;
import io.dataflare.engine.pipeline.PipelineDefinition;
import io.dataflare.engine.pipeline.PipelineParser;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.pipeline.PipelineValidator;
import io.dataflare.engine.plugin.PluginRegistry;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineRun;
import io.dataflare.engine.runtime.RunFactory;
import io.dataflare.engine.runtime.RunOptions;
import io.dataflare.engine.runtime.StalePlanException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The engine: a plugin registry plus everything needed to validate and run pipelines. One engine can
 * run many pipelines at once. It is the only way to run one: {@link #prepare} makes a run (its plugins
 * leased, following hot reloads), {@link #start} prepares and starts it.
 *
 * <pre>{@code
 * try (Engine engine = Engine.builder().pluginDirectory(Path.of("plugins")).build()) {
 *     PipelinePlan plan = engine.load(Path.of("pipeline.yaml"));   // throws InvalidConfigException
 *     PipelineResult result = engine.start(plan).await();
 * }
 * }</pre>
 */
public final class Engine implements AutoCloseable {
    private final PluginRegistry registry;
    private final RunFactory runs;
    private final Function<String, String> env;
    private final SecretResolver secrets;
    private final boolean ownsRegistry;

    private Engine(Builder b) {
        this.ownsRegistry = b.shared == null;
        if (!ownsRegistry && b.watchPoll != null)
            throw new IllegalStateException("a shared plugin registry is watched by its owner, not by an engine");
        this.registry = ownsRegistry ? b.registry.build() : b.shared;
        this.runs = new RunFactory(registry, b.clock, b.meters, b.diskBytes);
        this.registry.scan();
        if (b.watchPoll != null) registry.startWatching(b.watchPoll, b.watchQuiet);
        this.env = b.env;
        this.secrets = b.secrets;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The plugin registry. */
    public PluginRegistry plugins() {
        return registry;
    }

    /** Where run and plugin metrics are registered. */
    public MeterRegistry meters() {
        return runs.meters();
    }

    /**
     * Reads, parses and validates a pipeline file, with everything a run checks before it starts
     * ({@link PipelineValidator.Scope#RUN}): every problem is reported at once.
     *
     * @throws io.dataflare.engine.config.InvalidConfigException listing every problem with its location
     */
    public PipelinePlan load(Path file) {
        return load(file, PipelineValidator.Scope.RUN);
    }

    /** Reads, parses and validates a pipeline file as far as {@code scope} says; see {@link #load(Path)}. */
    public PipelinePlan load(Path file, PipelineValidator.Scope scope) {
        return new PipelineValidator(registry, scope).validate(parser().readFile(file));
    }

    /** Parses and validates pipeline text as a run would; {@code baseDir} resolves relative paths. */
    public PipelinePlan load(String text, String source, ConfigReader.Format format, Path baseDir) {
        return new PipelineValidator(registry, PipelineValidator.Scope.RUN)
                .validate(parser().readText(text, source, format, baseDir));
    }

    /** Validates a parsed pipeline against the installed plugins ({@link PipelineValidator.Scope#DEFINITION}). */
    public PipelinePlan validate(PipelineDefinition definition) {
        return new PipelineValidator(registry).validate(definition);
    }

    /**
     * Finishes validating what the parser read ({@link PipelineParser#readFile}...), reporting its problems
     * and the validator's together.
     */
    public PipelinePlan validate(ParsedPipeline parsed, PipelineValidator.Scope scope) {
        return new PipelineValidator(registry, scope).validate(parsed);
    }

    /** As {@link #validate(ParsedPipeline, PipelineValidator.Scope)}, with stages granted as {@code grants} says. */
    public PipelinePlan validate(ParsedPipeline parsed, PipelineValidator.Scope scope, GrantPolicy grants) {
        return new PipelineValidator(registry, scope, grants).validate(parsed);
    }

    /** A parser using this engine's environment and secrets (each pipeline gets its own redactor). */
    public PipelineParser parser() {
        return new PipelineParser(new Substitution(env, secrets, new Redactor()));
    }

    /**
     * Prepares a run of {@code plan} without checkpoints; see {@link #prepare(PipelinePlan, RunOptions)}.
     *
     * @throws StalePlanException when a plugin of the plan was unloaded since it was validated
     */
    public PipelineRun prepare(PipelinePlan plan) {
        return prepare(plan, RunOptions.NONE);
    }

    /**
     * Prepares a run of {@code plan}, with checkpoints (and resuming) as {@code options} say, without starting
     * it: add listeners, then {@link PipelineRun#start()}. The run leases the plugin versions it uses (they
     * stay loaded until it ends, its start is refused, or it is closed unstarted) and its processors follow
     * newer versions the registry loads (hot reload).
     *
     * @throws StalePlanException when a plugin of the plan was unloaded since it was validated: validate it again
     */
    public PipelineRun prepare(PipelinePlan plan, RunOptions options) {
        return runs.prepare(plan, options);
    }

    /** Prepares and starts a run of {@code plan} without checkpoints; see {@link #prepare(PipelinePlan, RunOptions)}. */
    public PipelineRun start(PipelinePlan plan) {
        return start(plan, RunOptions.NONE);
    }

    /**
     * Prepares and starts a run of {@code plan} with checkpoints (and resuming) as {@code options} say; see
     * {@link #prepare(PipelinePlan, RunOptions)} and {@link PipelineRun#start()} (which may refuse it).
     */
    public PipelineRun start(PipelinePlan plan, RunOptions options) {
        return prepare(plan, options).start();
    }

    /** Runs {@code plan} to its end. */
    public PipelineResult run(PipelinePlan plan) throws InterruptedException {
        return start(plan).await();
    }

    /**
     * Unloads the plugins (those of a {@linkplain Builder#sharedRegistry shared registry} stay loaded). Runs still
     * going are not stopped: stop them first.
     */
    @Override
    public void close() {
        runs.close();
        if (ownsRegistry) registry.close();
    }

    /** Builds an {@link Engine}. */
    public static final class Builder {
        private final PluginRegistry.Builder registry = PluginRegistry.builder().discoverHosts();
        private Clock clock = Clock.systemUTC();
        private long diskBytes;
        private MeterRegistry meters = new SimpleMeterRegistry();
        private Function<String, String> env = System::getenv;
        private SecretResolver secrets = SecretResolver.standard(System.getenv(), null);
        private Duration watchPoll;
        private Duration watchQuiet;
        private PluginRegistry shared;

        private Builder() {}

        /**
         * Runs over {@code registry} instead of one of its own (its folders, hosts and trust are the registry's; the
         * engine's folders and registry settings are then ignored): the engine rescans it when built, picking up the
         * plugin files added, replaced or removed since, and leaves it open when closed. A long-lived process that
         * runs one command after another (the CLI's daemon) keeps the plugins' classes loaded, and the code the JIT
         * compiled for them, from one run to the next.
         */
        public Builder sharedRegistry(PluginRegistry registry) {
            this.shared = registry;
            return this;
        }

        /** Adds a plugin folder (later folders win for the same plugin id and version). */
        public Builder pluginDirectory(Path dir) {
            registry.addDirectory(dir);
            return this;
        }

        /**
         * Watches the plugin folders while the engine runs: added, replaced and removed plugin files are
         * picked up without a restart (see {@link PluginRegistry#startWatching}).
         *
         * @param pollInterval how often the folders are listed when no file event wakes the watcher
         * @param quietPeriod  how long a change must stay still before it is read (half-written files)
         */
        public Builder watchPlugins(Duration pollInterval, Duration quietPeriod) {
            this.watchPoll = pollInterval;
            this.watchQuiet = quietPeriod;
            return this;
        }

        /** Watches the plugin folders with the defaults: polled every second, read after 300 ms without change. */
        public Builder watchPlugins() {
            return watchPlugins(Duration.ofSeconds(1), Duration.ofMillis(300));
        }

        /** Gives access to the registry builder (extra hosts, engine version). */
        public Builder registry(Consumer<PluginRegistry.Builder> configure) {
            configure.accept(registry);
            return this;
        }

        /**
         * A disk budget over the spools of all the engine's runs (buffered sinks), in MB: a sink whose next batch
         * would take them past it holds its pipeline back until spools drain (0, the default: none).
         */
        public Builder diskMb(long mb) {
            if (mb < 0) throw new IllegalArgumentException("the disk budget must be at least 0 MB: " + mb);
            this.diskBytes = mb * 1024L * 1024L;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder meters(MeterRegistry meters) {
            this.meters = meters;
            return this;
        }

        /** The variables {@code ${NAME}} reads (default: the process environment). */
        public Builder environment(Map<String, String> variables) {
            this.env = variables::get;
            return this;
        }

        /** Where {@code ${secret:name}} is looked up. */
        public Builder secrets(SecretResolver secrets) {
            this.secrets = secrets;
            return this;
        }

        public Engine build() {
            return new Engine(this);
        }
    }
}
