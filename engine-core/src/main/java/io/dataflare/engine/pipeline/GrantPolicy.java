package io.dataflare.engine.pipeline;

import io.dataflare.engine.host.Grants;
import java.util.Map;

/**
 * Who grants a stage its capabilities. For a pipeline run from a file, whoever runs it wrote it: a stage's
 * {@code grants:} are what it is granted. A server runs pipelines others submit: its operator grants each
 * plugin capabilities in the server's config, a stage may hold only grants within those, and a stage that lists
 * none gets the server's grants for its plugin.
 */
public final class GrantPolicy {
    private static final GrantPolicy PIPELINE = new GrantPolicy(null);

    /** Per plugin id, what the operator grants; null when the pipeline's own grants decide. */
    private final Map<String, Grants> perPlugin;

    private GrantPolicy(Map<String, Grants> perPlugin) {
        this.perPlugin = perPlugin;
    }

    /** A stage is granted what its {@code grants:} list says (and the plugin-local defaults). */
    public static GrantPolicy pipeline() {
        return PIPELINE;
    }

    /** A stage is granted at most what {@code perPlugin} grants its plugin (plugin id to grants). */
    public static GrantPolicy perPlugin(Map<String, Grants> perPlugin) {
        return new GrantPolicy(Map.copyOf(perPlugin));
    }

    /** Whether an operator bounds what stages may be granted. */
    public boolean bounded() {
        return perPlugin != null;
    }

    /** What the operator grants plugin {@code pluginId} (the defaults when unbounded or not named). */
    public Grants operatorGrants(String pluginId) {
        return perPlugin == null ? Grants.defaults() : perPlugin.getOrDefault(pluginId, Grants.defaults());
    }

    /**
     * Whether a stage of plugin {@code pluginId} may hold {@code capability}: always when unbounded; otherwise
     * when the operator's grants include it, exactly or as a narrower pattern ({@code http:api.example.com}
     * within {@code http:*.example.com}, {@code file:read:data/a.csv} within {@code file:read:data/*.csv}).
     */
    public boolean allows(String pluginId, String capability) {
        if (perPlugin == null) return true;
        Grants operator = operatorGrants(pluginId);
        String c = capability.trim();
        if (operator.all().contains(c)) return true;
        // A pattern is within a grant when the grant's pattern matches it as written.
        if (c.startsWith("http:")) return operator.allowsHttp(c.substring("http:".length()));
        if (c.startsWith("file:read:")) return operator.allowsFileRead(c.substring("file:read:".length()));
        if (c.startsWith("file:write:")) return operator.allowsFileWrite(c.substring("file:write:".length()));
        if (c.startsWith("env:")) return operator.allowsEnv(c.substring("env:".length()));
        return false;
    }
}
