package io.dataflare.engine.pipeline;

import io.dataflare.engine.host.Grants;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
     * when the operator's grants include it, exactly or as a narrower pattern of the same form ({@code
     * http:api.example.com} within {@code http:*.example.com}, {@code file:read:data/a.csv} within {@code
     * file:read:data/*.csv}).
     */
    public boolean allows(String pluginId, String capability) {
        if (perPlugin == null) return true;
        Grants operator = operatorGrants(pluginId);
        String c = capability.trim();
        if (operator.all().contains(c)) return true;
        if (c.startsWith("env:")) return !c.contains("*") && operator.allowsEnv(c.substring("env:".length()));
        for (String family : List.of("http:", "file:read:", "file:write:")) {
            if (!c.startsWith(family)) continue;
            String wanted = c.substring(family.length());
            for (String g : operator.all()) {
                if (g.startsWith(family) && within(wanted, g.substring(family.length()), family.equals("http:")))
                    return true;
            }
        }
        return false;
    }

    /**
     * Whether every name the glob {@code wanted} matches, the glob {@code granted} matches too. Decided only where
     * matching one pattern against the other as text is sound: {@code wanted} a plain name, or with {@code *}
     * wildcards only against a {@code granted} with {@code *} / {@code **} wildcards only ({@code ?} or a class in
     * the grant could match a wildcard of the wanted pattern as a character, and a {@code **} wanted crosses
     * folders a {@code *} granted does not); anything else is refused, the safe answer.
     */
    private static boolean within(String wanted, String granted, boolean hostNames) {
        String w = hostNames ? wanted.toLowerCase(Locale.ROOT) : wanted;
        String g = hostNames ? granted.toLowerCase(Locale.ROOT) : granted;
        Path path = Path.of(w).normalize();
        if (path.isAbsolute() != Path.of(g).isAbsolute() || path.startsWith("..")) return false;
        boolean plain = !hasAny(w, "*?[]{}\\");
        boolean starsOnly = !w.contains("**") && !hasAny(w, "?[]{}\\") && !hasAny(g, "?[]{}\\");
        return (plain || starsOnly)
                && FileSystems.getDefault().getPathMatcher("glob:" + g).matches(path);
    }

    private static boolean hasAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) if (chars.indexOf(s.charAt(i)) >= 0) return true;
        return false;
    }
}
