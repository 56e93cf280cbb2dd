package io.dataflare.engine.pipeline;

import io.dataflare.api.PluginMetrics;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.engine.host.GrantedContext;
import io.dataflare.engine.host.Grants;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The context {@link io.dataflare.api.PluginFactory#preflight} gets during validation: the validated
 * configuration and where the instances would run, so that relative paths resolve exactly as they will
 * for {@link io.dataflare.api.PluginFactory#create}, and the stage's grants, so that a sandboxed host checks
 * what it will be allowed; nothing is running, so metrics go nowhere.
 */
final class PreflightContext implements GrantedContext {
    private final PluginConfig config;
    private final String pipeline;
    private final String stage;
    private final int instances;
    private final Path baseDir;
    private final Grants grants;

    PreflightContext(PluginConfig config, String pipeline, String stage, int instances, Path baseDir, Grants grants) {
        this.config = config;
        this.grants = grants;
        this.pipeline = pipeline;
        this.stage = stage;
        this.instances = instances;
        this.baseDir = baseDir;
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
        return System.getLogger("dataflare.preflight." + pipeline + "." + stage);
    }

    @Override
    public PluginMetrics metrics() {
        return PluginMetrics.noop();
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public String pipeline() {
        return pipeline;
    }

    @Override
    public String stage() {
        return stage;
    }

    @Override
    public int instance() {
        return 0;
    }

    @Override
    public int instances() {
        return instances;
    }

    @Override
    public Path resolvePath(String path) {
        Path p = Path.of(path);
        if (p.isAbsolute() || baseDir == null) return p.toAbsolutePath().normalize();
        return baseDir.resolve(p).normalize();
    }
}
