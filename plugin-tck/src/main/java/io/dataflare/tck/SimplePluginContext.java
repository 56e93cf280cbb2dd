package io.dataflare.tck;

import io.dataflare.api.PluginContext;
import io.dataflare.api.PluginFactory;
import io.dataflare.api.PluginMetrics;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.state.StateAccess;
import io.dataflare.api.state.Timers;
import io.dataflare.engine.host.GrantedContext;
import io.dataflare.engine.host.Grants;
import io.dataflare.engine.state.keyed.HeapKeyedStore;
import io.dataflare.engine.state.keyed.KeyedStateAccess;
import io.dataflare.engine.state.keyed.KeyedTimers;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;

/**
 * A {@link PluginContext} for unit tests and tools that run a plugin outside the engine: the
 * configuration is validated against the factory's spec exactly as the engine would, the logger writes
 * to {@link System#getLogger}, metrics go nowhere, relative paths resolve against {@code baseDir}, and the stage
 * is granted the plugin-local capabilities only unless {@link #withGrants} says more (as a pipeline stage's
 * {@code grants:} list does). Its {@link #state()} is the engine's keyed state on the heap (values encoded and
 * expired exactly as in a run, without checkpoints): a context made by {@link #withClock} or {@link #withGrants}
 * shares it, one made by {@link #asInstance} has its own, as another instance would.
 *
 * <pre>{@code
 * PluginContext ctx = SimplePluginContext.of(new CsvSourceFactory(), Map.of("path", "in.csv"), tempDir);
 * try (Source s = new CsvSourceFactory().create(ctx)) { ... }
 * }</pre>
 *
 * <p>A test helper, not part of the plugin API: until 1.1.0 it was {@code io.dataflare.api.SimplePluginContext}
 * in plugin-api; plugins' tests now take it from plugin-tck (test scope).
 *
 * @since 1.1.0
 */
public final class SimplePluginContext implements GrantedContext {
    private final PluginConfig config;
    private final Path baseDir;
    private final Clock clock;
    private final String stage;
    private final int instance;
    private final int instances;
    private final Grants grants;
    private final HeapKeyedStore state;
    private KeyedTimers timers;

    private SimplePluginContext(
            PluginConfig config,
            Path baseDir,
            Clock clock,
            String stage,
            int instance,
            int instances,
            Grants grants,
            HeapKeyedStore state) {
        this.state = state;
        this.config = config;
        this.baseDir = baseDir;
        this.clock = clock;
        this.stage = stage;
        this.instance = instance;
        this.instances = instances;
        this.grants = grants;
    }

    /**
     * A context for {@code factory} with {@code rawConfig} validated by its spec and its
     * {@link PluginFactory#validate} hook.
     *
     * @throws io.dataflare.api.config.ConfigException when the configuration is invalid
     */
    public static SimplePluginContext of(PluginFactory<?> factory, Map<String, ?> rawConfig, Path baseDir) {
        PluginConfig c = factory.configSpec().validate(rawConfig);
        factory.validate(c);
        return new SimplePluginContext(
                c, baseDir, Clock.systemUTC(), factory.name(), 0, 1, Grants.defaults(), new HeapKeyedStore());
    }

    /** The same context as instance {@code instance} of {@code instances}. */
    public SimplePluginContext asInstance(int instance, int instances) {
        return new SimplePluginContext(
                config, baseDir, clock, stage, instance, instances, grants, new HeapKeyedStore());
    }

    /** The same context with another clock. */
    public SimplePluginContext withClock(Clock clock) {
        return new SimplePluginContext(config, baseDir, clock, stage, instance, instances, grants, state);
    }

    /**
     * The same context with the stage granted {@code capabilities} (plus the plugin-local ones), e.g.
     * {@code http:127.0.0.1} or {@code file:read:data/*.csv}.
     *
     * @throws IllegalArgumentException naming a capability that is not one
     * @since 1.1.0
     */
    public SimplePluginContext withGrants(Collection<String> capabilities) {
        return new SimplePluginContext(
                config, baseDir, clock, stage, instance, instances, Grants.of(capabilities), state);
    }

    @Override
    public Grants grants() {
        return grants;
    }

    @Override
    public PluginConfig config() {
        return config;
    }

    @Override
    public System.Logger logger() {
        return System.getLogger("dataflare.plugin." + stage);
    }

    @Override
    public PluginMetrics metrics() {
        return PluginMetrics.noop();
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public String pipeline() {
        return "test";
    }

    @Override
    public String stage() {
        return stage;
    }

    @Override
    public int instance() {
        return instance;
    }

    @Override
    public int instances() {
        return instances;
    }

    /** In-memory keyed state, see the class comment. */
    @Override
    public StateAccess state() {
        return new KeyedStateAccess(state, clock);
    }

    /**
     * The engine's timers over the same in-memory state. Nothing fires them here (there is no worker): a test
     * calls {@code onTimers} itself, or drives the watermark and takes due event-time timers as the processor does.
     */
    @Override
    public synchronized Timers timers() {
        if (timers == null) timers = new KeyedTimers(state, clock);
        return timers;
    }

    @Override
    public Path resolvePath(String path) {
        Path p = Path.of(path);
        return p.isAbsolute() || baseDir == null
                ? p.toAbsolutePath().normalize()
                : baseDir.resolve(p).normalize();
    }
}
