package io.dataflare.wasm.testing;

import io.dataflare.api.PluginContext;
import io.dataflare.api.PluginFactory;
import io.dataflare.api.PluginMetrics;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.engine.host.GrantedContext;
import io.dataflare.engine.host.Grants;
import io.dataflare.tck.SimplePluginContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** A component context carrying a stage's grants, as the engine's contexts do, around the test kit's context. */
public final class GrantedTestContext implements GrantedContext {
    private final PluginContext delegate;
    private final Grants grants;
    private final System.Logger logger;

    private GrantedTestContext(PluginContext delegate, Grants grants, System.Logger logger) {
        this.delegate = delegate;
        this.grants = grants;
        this.logger = logger;
    }

    /** The same context logging to {@code logger}. */
    public GrantedTestContext withLogger(System.Logger logger) {
        return new GrantedTestContext(delegate, grants, logger);
    }

    /** A context for {@code factory} with {@code config} (validated) on a stage granted {@code grants}. */
    public static GrantedTestContext of(
            PluginFactory<?> factory, Map<String, ?> config, Path baseDir, List<String> grants) {
        PluginContext c = SimplePluginContext.of(factory, config, baseDir);
        return new GrantedTestContext(c, Grants.of(grants), c.logger());
    }

    @Override
    public Grants grants() {
        return grants;
    }

    @Override
    public PluginConfig config() {
        return delegate.config();
    }

    @Override
    public System.Logger logger() {
        return logger;
    }

    @Override
    public PluginMetrics metrics() {
        return delegate.metrics();
    }

    @Override
    public Clock clock() {
        return delegate.clock();
    }

    @Override
    public String pipeline() {
        return delegate.pipeline();
    }

    @Override
    public String stage() {
        return delegate.stage();
    }

    @Override
    public int instance() {
        return delegate.instance();
    }

    @Override
    public int instances() {
        return delegate.instances();
    }

    @Override
    public Path resolvePath(String path) {
        return delegate.resolvePath(path);
    }
}
