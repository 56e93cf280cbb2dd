package io.dataflare.polyglot.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dataflare.api.ComponentKind;
import io.dataflare.engine.host.ManifestReader;
import io.dataflare.engine.host.PluginLoadException;
import io.dataflare.engine.host.PluginManifest;
import io.dataflare.polyglot.runtime.ScriptLanguage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a script's manifest without running it where possible: a leading comment block of YAML (it is a
 * manifest when it has an {@code id}), or a {@code manifest} defined as a plain literal (so a folder of
 * plugins is listed without starting Python or evaluating JavaScript). A {@code manifest} that only
 * evaluation can produce is read by the caller and handed to {@link #parse}. A script is one component of
 * any kind (its {@code kind}); a bare script is an anonymous processor named after its file, version 0.0.0.
 */
public final class ScriptManifests {
    /** The version of a script without a manifest. */
    public static final String ANONYMOUS_VERSION = "0.0.0";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern JS_EXPORT = Pattern.compile("(?m)^\\s*export\\s+(const|let|var)\\s+manifest\\s*=");
    private static final Pattern PY_ASSIGN = Pattern.compile("(?m)^manifest\\s*(:\\s*[\\w\\[\\], ]+)?=\\s*");

    private ScriptManifests() {}

    /** Whether the script defines a {@code manifest} in code (an export, or a global in Python). */
    public static boolean declaresManifest(ScriptLanguage language, String text) {
        return (language == ScriptLanguage.JAVASCRIPT ? JS_EXPORT : PY_ASSIGN)
                .matcher(text)
                .find();
    }

    /**
     * The manifest in the script's leading comment block, if it has one.
     *
     * @throws PluginLoadException when the block has an {@code id:} line but is not valid YAML
     */
    public static Optional<Map<String, Object>> commentBlock(ScriptLanguage language, String text, String source)
            throws PluginLoadException {
        String block = leadingComment(language, text);
        if (block.isBlank()) return Optional.empty();
        try {
            Object tree = YAML.readValue(block, Object.class);
            if (tree instanceof Map<?, ?> m && m.containsKey("id")) return Optional.of(stringKeys(m));
            return Optional.empty();
        } catch (JsonProcessingException e) {
            if (!block.matches("(?s).*(^|\\n)\\s*id\\s*:.*")) return Optional.empty(); // an ordinary comment
            throw new PluginLoadException(
                    "manifest " + source + ": the leading comment block is not valid YAML: " + e.getOriginalMessage());
        }
    }

    /**
     * The manifest a script defines as a plain literal ({@code export const manifest = {...}} /
     * {@code manifest = {...}}), read without running it; empty when it is computed (only running the
     * script can tell) or there is none.
     */
    public static Optional<Map<String, Object>> literal(ScriptLanguage language, String text) {
        Matcher m = (language == ScriptLanguage.JAVASCRIPT ? JS_EXPORT : PY_ASSIGN).matcher(text);
        return m.find() ? ManifestLiteral.read(text, m.end(), language) : Optional.empty();
    }

    /** The kinds a script's manifest may name. */
    public static final List<String> KINDS =
            List.of("source", "sink", "processor", "retry-policy", "error-policy", "key-router");

    /**
     * Checks a manifest map and builds the plugin manifest; a script provides one component: a source, sink,
     * processor, retry policy, error policy or key router ({@code kind: retry-policy}...). The generic {@code
     * policy} of a WASM module, whose exports say which policies it has, is refused: one function name
     * ({@code route}) could not tell an error policy from a key router.
     *
     * @throws PluginLoadException naming the field that is wrong
     */
    public static ManifestReader.Parsed parse(Map<String, ?> map, Path file, ScriptLanguage language, String checksum)
            throws PluginLoadException {
        String source = file.getFileName().toString();
        Object k = map.get("kind");
        String kind = k == null ? null : String.valueOf(k).trim().toLowerCase(Locale.ROOT);
        if (kind != null && !KINDS.contains(kind)) {
            throw new PluginLoadException("manifest " + source + ": 'kind' '" + kind + "' must be one of "
                    + String.join(", ", KINDS)
                    + (kind.equals("policy") ? " (a script says which policy it is)" : ""));
        }
        return ManifestReader.fromMap(map, source, language.pluginLanguage(), checksum);
    }

    /** The manifest of a script without one: a processor named after the file, version 0.0.0. */
    public static PluginManifest anonymous(Path file, ScriptLanguage language, String checksum) {
        return PluginManifest.builder(anonymousId(file), ANONYMOUS_VERSION, language.pluginLanguage())
                .kinds(List.of(ComponentKind.PROCESSOR.manifestKind()))
                .description("script " + file.getFileName() + " (no manifest)")
                .checksum(checksum)
                .build();
    }

    /** {@code Clean Orders.py} becomes {@code clean-orders}. */
    static String anonymousId(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot > 0) name = name.substring(0, dot);
        String id =
                name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]+", "-").replaceAll("^[^a-z0-9]+", "");
        return id.isEmpty() ? "script" : id;
    }

    private static String leadingComment(ScriptLanguage language, String text) {
        StringBuilder sb = new StringBuilder();
        String[] lines = text.split("\r?\n", -1);
        int i = 0;
        if (lines.length > 0 && lines[0].startsWith("#!")) i++;
        if (language == ScriptLanguage.JAVASCRIPT
                && i < lines.length
                && lines[i].trim().startsWith("/*")) {
            // a /* ... */ block, with optional leading '*' on each line
            for (; i < lines.length; i++) {
                String l = lines[i];
                boolean end = l.contains("*/");
                l = l.replaceFirst("^\\s*/\\*+", "")
                        .replaceFirst("\\*+/.*$", "")
                        .replaceFirst("^\\s?\\*(\\s|$)", "");
                if (!l.trim().equals("---")) sb.append(l).append('\n');
                if (end) break;
            }
            return sb.toString();
        }
        String marker = language.lineComment();
        for (; i < lines.length; i++) {
            String t = lines[i].trim();
            if (!t.startsWith(marker)) {
                if (t.isEmpty() && sb.length() == 0) continue;
                break;
            }
            String l = lines[i].replaceFirst("^\\s*" + Pattern.quote(marker) + " ?", "");
            if (l.startsWith("-*-") || l.trim().equals("---")) continue; // coding line, YAML document markers
            sb.append(l).append('\n');
        }
        return sb.toString();
    }

    private static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(e.getKey()), e.getValue());
        return out;
    }
}
