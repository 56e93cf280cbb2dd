package io.dataflare.engine.host;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The capabilities the person running a pipeline granted one stage (its {@code grants:} list, or a server's
 * per-plugin grants). A plugin's manifest only <em>requests</em> capabilities; a sandboxed host lets a
 * component reach outside its sandbox only through what is granted here.
 *
 * <p>Capabilities:
 *
 * <ul>
 *   <li>{@code log}, {@code state}: plugin-local, granted by default.
 *   <li>{@code http:HOST}: HTTP(S) to hosts matching {@code HOST}, a glob on the host name ({@code
 *       127.0.0.1}, {@code *.example.com}, {@code *} for any).
 *   <li>{@code file:read:GLOB}, {@code file:write:GLOB}: files whose path relative to the pipeline's folder
 *       matches {@code GLOB} ({@code data/*.csv}, {@code out/**}).
 *   <li>{@code env:NAME}: one environment variable ({@code env:*} for all).
 *   <li>{@code wasi}, {@code wasi:dir:PATH}: WASI for a WebAssembly module, and one preopened folder.
 * </ul>
 */
public final class Grants {
    /** What every stage has without being granted anything: capabilities that touch nothing outside the plugin. */
    public static final Set<String> PLUGIN_LOCAL = Set.of("log", "state");

    private static final Grants DEFAULTS = new Grants(List.of());

    private final Set<String> granted;

    private Grants(Collection<String> explicit) {
        Set<String> all = new LinkedHashSet<>(PLUGIN_LOCAL);
        for (String g : explicit) all.add(g.trim());
        this.granted = Set.copyOf(all);
    }

    /** The plugin-local capabilities only. */
    public static Grants defaults() {
        return DEFAULTS;
    }

    /**
     * Grants of the given capabilities (plus the plugin-local ones).
     *
     * @throws IllegalArgumentException naming a capability that is not one of the forms above
     */
    public static Grants of(Collection<String> capabilities) {
        for (String c : capabilities) checkForm(c);
        return capabilities.isEmpty() ? DEFAULTS : new Grants(capabilities);
    }

    /** The grants a component's context carries, or the defaults when it carries none (a test kit's context). */
    public static Grants of(io.dataflare.api.PluginContext context) {
        return context instanceof GrantedContext g ? g.grants() : DEFAULTS;
    }

    /** Every granted capability, plugin-local ones included. */
    public Set<String> all() {
        return granted;
    }

    /**
     * Whether a capability a manifest requests is covered: exactly granted, or, for the pattern forms
     * ({@code http:}, {@code file:read:}, {@code file:write:}, {@code env:}), granted in that family at all (the
     * grant then bounds what the plugin reaches at run time).
     */
    public boolean covers(String requested) {
        String r = requested.trim();
        if (granted.contains(r)) return true;
        String family = family(r);
        if (family == null) return false;
        for (String g : granted) if (g.startsWith(family)) return true;
        return false;
    }

    /** The requested capabilities that are not covered, in request order. */
    public List<String> missing(Collection<String> requested) {
        List<String> out = new ArrayList<>();
        for (String r : requested) if (!covers(r)) out.add(r);
        return out;
    }

    /** Whether an HTTP request to {@code host} is granted. */
    public boolean allowsHttp(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String g : granted) {
            if (g.startsWith("http:")
                    && glob(g.substring(5).toLowerCase(Locale.ROOT)).matches(Path.of(h))) return true;
        }
        return false;
    }

    /** Whether reading {@code relative} (a path relative to the pipeline's folder, '/'-separated) is granted. */
    public boolean allowsFileRead(String relative) {
        return allowsFile("file:read:", relative);
    }

    /** Whether writing {@code relative} (relative to the pipeline's folder) is granted. */
    public boolean allowsFileWrite(String relative) {
        return allowsFile("file:write:", relative);
    }

    /** Whether the environment variable {@code name} may be read. */
    public boolean allowsEnv(String name) {
        return granted.contains("env:" + name) || granted.contains("env:*");
    }

    private boolean allowsFile(String prefix, String relative) {
        Path p = Path.of(relative).normalize();
        if (p.isAbsolute() || p.startsWith("..")) return false;
        for (String g : granted)
            if (g.startsWith(prefix) && glob(g.substring(prefix.length())).matches(p)) return true;
        return false;
    }

    private static PathMatcher glob(String pattern) {
        return FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    }

    private static String family(String capability) {
        for (String f : List.of("http:", "file:read:", "file:write:", "env:")) if (capability.startsWith(f)) return f;
        return null;
    }

    private static void checkForm(String c) {
        String t = c == null ? "" : c.trim();
        boolean ok = PLUGIN_LOCAL.contains(t)
                || t.equals("wasi")
                || (t.startsWith("wasi:dir:") && t.length() > 9)
                || (family(t) != null && t.length() > family(t).length());
        if (!ok) {
            throw new IllegalArgumentException("unknown capability '" + c + "': use log, state, http:HOST,"
                    + " file:read:GLOB, file:write:GLOB, env:NAME, wasi or wasi:dir:PATH");
        }
    }

    @Override
    public String toString() {
        return granted.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Grants g && g.granted.equals(granted);
    }

    @Override
    public int hashCode() {
        return granted.hashCode();
    }
}
