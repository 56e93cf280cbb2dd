package io.dataflare.engine.host;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.config.ConfigOption;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.config.Redactor;
import io.dataflare.engine.config.SecretResolver;
import io.dataflare.engine.config.Substitution;
import io.dataflare.engine.version.VersionRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.pf4j.PluginDependency;

/**
 * Reads the manifest of a plugin that is not a JAR (a WASM module's {@code .wasm.yaml} or custom section,
 * a script's exported {@code manifest}): one component per plugin, named by its {@code id}.
 *
 * <pre>{@code
 * id: mask-pii
 * version: 1.2.0
 * kind: processor                # source | sink | processor | retry-policy | error-policy | key-router | policy
 * requires: ^1.0                 # engine range
 * description: Masks e-mail addresses
 * license: Apache-2.0
 * dependencies: ["geo@^2", "cache@^1?"]   # '?': optional
 * capabilities: [log, state]
 * checksum: 3b7e...              # optional (sidecar manifests): the module's expected SHA-256
 * config:
 *   fields: { type: string_list, required: true, description: Fields to mask }
 *   mode:   { type: string, default: stars, enum: [stars, hash] }
 * }</pre>
 */
public final class ManifestReader {
    private static final Set<String> KEYS = Set.of(
            "id",
            "version",
            "kind",
            "requires",
            "description",
            "license",
            "provider",
            "dependencies",
            "capabilities",
            "config",
            "checksum");
    private static final Set<String> OPTION_KEYS = Set.of("type", "required", "default", "description", "enum");

    /**
     * A parsed manifest: the plugin's manifest, its single component's kind and option spec. For {@code kind:
     * policy} the kind is {@link ComponentKind#RETRY_POLICY} standing for any policy kind: the plugin's host
     * tells from the plugin's code which policies it provides.
     */
    public record Parsed(PluginManifest manifest, ComponentKind kind, ConfigSpec config) {}

    private ManifestReader() {}

    /**
     * Parses YAML (or JSON) manifest text.
     *
     * @throws PluginLoadException naming the field and the source when the manifest is invalid
     */
    public static Parsed parse(String text, String source, String language, String checksum)
            throws PluginLoadException {
        Object tree;
        try {
            tree = new ConfigReader(new Substitution(name -> null, SecretResolver.none(), new Redactor()))
                    .read(text, source, ConfigReader.Format.YAML)
                    .toPlain();
        } catch (InvalidConfigException e) {
            throw new PluginLoadException("manifest " + e.getMessage());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) tree;
        return fromMap(map, source, language, checksum);
    }

    /**
     * Builds a manifest from plain values (as read from YAML/JSON or exported by a script).
     *
     * @throws PluginLoadException naming the field and the source when the manifest is invalid
     */
    public static Parsed fromMap(Map<String, ?> m, String source, String language, String checksum)
            throws PluginLoadException {
        for (String k : m.keySet()) {
            if (!KEYS.contains(k))
                throw error(source, k, "is not a manifest field (fields: " + String.join(", ", sorted(KEYS)) + ")");
        }
        String id = requiredString(m, "id", source);
        if (!id.matches("[a-z0-9][a-z0-9_.-]*"))
            throw error(source, "id", "'" + id + "' must be lower-case letters, digits, '-', '_', '.'");
        String version = requiredString(m, "version", source);
        if (com.github.zafarkhaja.semver.Version.tryParse(version).isEmpty()) {
            throw error(source, "version", "'" + version + "' is not semver (e.g. 1.2.0)");
        }
        String kindText = requiredString(m, "kind", source).toLowerCase(Locale.ROOT);
        ComponentKind kind = switch (kindText) {
            case "source" -> ComponentKind.SOURCE;
            case "sink" -> ComponentKind.SINK;
            case "processor" -> ComponentKind.PROCESSOR;
            case "retry-policy" -> ComponentKind.RETRY_POLICY;
            case "error-policy" -> ComponentKind.ERROR_POLICY;
            case "key-router" -> ComponentKind.KEY_ROUTER;
            // a plugin providing one or more policy kinds, which its host reads from its code (a WASM module's
            // exports); RETRY_POLICY stands for them all here
            case "policy" -> ComponentKind.RETRY_POLICY;
            default ->
                throw error(
                        source,
                        "kind",
                        "'" + kindText
                                + "' must be source, sink, processor, retry-policy, error-policy, key-router or policy");
        };
        String requires = optionalString(m, "requires", source);
        if (requires != null) {
            try {
                VersionRange.parse(requires);
            } catch (IllegalArgumentException e) {
                throw error(source, "requires", e.getMessage());
            }
        }
        List<PluginDependency> deps = new ArrayList<>();
        for (String d : stringList(m, "dependencies", source)) {
            String spec = d.trim();
            boolean optional = spec.endsWith("?");
            if (optional) spec = spec.substring(0, spec.length() - 1);
            int at = spec.indexOf('@');
            String depId = at < 0 ? spec : spec.substring(0, at);
            if (depId.endsWith("?")) {
                optional = true;
                depId = depId.substring(0, depId.length() - 1);
            }
            String range = at < 0 ? "*" : spec.substring(at + 1);
            // PF4J's dependency syntax: id@range, '?' after the id for optional
            deps.add(new PluginDependency(depId + (optional ? "?" : "") + "@" + range));
        }
        String expected = optionalString(m, "checksum", source);
        if (expected != null && checksum != null && !expected.trim().equalsIgnoreCase(checksum)) {
            throw error(
                    source,
                    "checksum",
                    "does not match the plugin file: the manifest says " + expected.trim() + ", the file's SHA-256 is "
                            + checksum);
        }
        PluginManifest manifest = PluginManifest.builder(id, version, language)
                .kinds(List.of(kind.manifestKind()))
                .requires(requires)
                .dependencies(deps)
                .description(optionalString(m, "description", source))
                .license(optionalString(m, "license", source))
                .provider(optionalString(m, "provider", source))
                .capabilities(stringList(m, "capabilities", source))
                .checksum(checksum)
                .build();
        return new Parsed(manifest, kind, configSpec(m.get("config"), source));
    }

    private static ConfigSpec configSpec(Object raw, String source) throws PluginLoadException {
        ConfigSpec.Builder b = ConfigSpec.builder();
        if (raw == null) return b.build();
        if (!(raw instanceof Map<?, ?> options))
            throw error(source, "config", "must be a map of option name to {type, required, default, description}");
        for (Map.Entry<?, ?> e : options.entrySet()) {
            String name = String.valueOf(e.getKey());
            String field = "config." + name;
            if (!(e.getValue() instanceof Map<?, ?> o)) throw error(source, field, "must be a map with 'type'");
            for (Object k : o.keySet()) {
                if (!OPTION_KEYS.contains(String.valueOf(k))) {
                    throw error(
                            source,
                            field + "." + k,
                            "is not an option field (fields: " + String.join(", ", sorted(OPTION_KEYS)) + ")");
                }
            }
            ConfigType type =
                    type(o.get("type") == null ? "any" : String.valueOf(o.get("type")), source, field + ".type");
            boolean required = Boolean.TRUE.equals(o.get("required"));
            Object dflt = o.get("default");
            List<String> allowed = new ArrayList<>();
            if (o.get("enum") instanceof List<?> l) for (Object v : l) allowed.add(String.valueOf(v));
            try {
                if (dflt != null) dflt = type.coerce(dflt);
                b.option(new ConfigOption(
                        name,
                        type,
                        required,
                        dflt,
                        o.get("description") == null ? "" : String.valueOf(o.get("description")),
                        allowed));
            } catch (IllegalArgumentException ex) {
                throw error(source, field, ex.getMessage());
            }
        }
        return b.build();
    }

    private static ConfigType type(String t, String source, String field) throws PluginLoadException {
        return switch (t.trim().toLowerCase(Locale.ROOT)) {
            case "string", "str" -> ConfigType.STRING;
            case "long", "int", "integer" -> ConfigType.LONG;
            case "double", "float", "number" -> ConfigType.DOUBLE;
            case "boolean", "bool" -> ConfigType.BOOLEAN;
            case "string_list", "list of strings", "list<string>" -> ConfigType.STRING_LIST;
            case "list", "array" -> ConfigType.LIST;
            case "map", "object" -> ConfigType.MAP;
            case "any" -> ConfigType.ANY;
            default ->
                throw error(
                        source,
                        field,
                        "'" + t + "' is not a type (string, long, double, boolean, string_list, list, map, any)");
        };
    }

    private static String requiredString(Map<String, ?> m, String key, String source) throws PluginLoadException {
        String s = optionalString(m, key, source);
        if (s == null || s.isBlank()) throw error(source, key, "is required");
        return s.trim();
    }

    private static String optionalString(Map<String, ?> m, String key, String source) throws PluginLoadException {
        Object v = m.get(key);
        if (v == null) return null;
        if (v instanceof String || v instanceof Number) return v.toString();
        throw error(source, key, "must be a string");
    }

    private static List<String> stringList(Map<String, ?> m, String key, String source) throws PluginLoadException {
        Object v = m.get(key);
        if (v == null) return List.of();
        if (v instanceof String s) return List.of(s);
        if (!(v instanceof List<?> l)) throw error(source, key, "must be a list of strings");
        List<String> out = new ArrayList<>();
        for (Object o : l) out.add(String.valueOf(o));
        return out;
    }

    private static List<String> sorted(Set<String> s) {
        List<String> l = new ArrayList<>(s);
        l.sort(null);
        return l;
    }

    private static PluginLoadException error(String source, String field, String message) {
        return new PluginLoadException("manifest " + source + ": '" + field + "' " + message);
    }
}
