package io.dataflare.plugins.files.output;

import io.dataflare.api.PluginContext;
import io.dataflare.api.data.FieldType;
import io.dataflare.api.data.Record;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A sink's {@code path} with optional {@code {field}} placeholders, such as {@code out/{country}.csv}.
 * A placeholder takes the record's value of that field, which must be a plain file-name part: not
 * empty, not {@code .} or {@code ..}, without {@code /}, {@code \} or NUL. The expanded path must stay
 * inside the directory that precedes the first placeholder ({@code out/}); a record whose values would
 * lead elsewhere is refused with {@link Escape}.
 */
public final class PathTemplate {
    private final PluginContext ctx;
    private final String text;
    private final String[] literals;
    private final String[] fields;
    private final Path root;

    private PathTemplate(PluginContext ctx, String text, String[] literals, String[] fields, Path root) {
        this.ctx = ctx;
        this.text = text;
        this.literals = literals;
        this.fields = fields;
        this.root = root;
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException for an unclosed or empty placeholder
     */
    public static PathTemplate parse(PluginContext ctx, String text) {
        List<String> lits = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int i = 0;
        while (true) {
            int open = text.indexOf('{', i);
            int close = text.indexOf('}', i);
            if (close >= 0 && (open < 0 || close < open)) {
                throw new IllegalArgumentException("has a '}' without '{' at position " + (close + 1));
            }
            if (open < 0) {
                lits.add(text.substring(i));
                break;
            }
            if (close < 0) throw new IllegalArgumentException("has a '{' without '}' at position " + (open + 1));
            String name = text.substring(open + 1, close);
            if (name.isBlank() || name.indexOf('{') >= 0) {
                throw new IllegalArgumentException("has an empty or nested placeholder at position " + (open + 1));
            }
            lits.add(text.substring(i, open));
            names.add(name.trim());
            i = close + 1;
        }
        Path root = null;
        if (!names.isEmpty()) {
            String prefix = lits.get(0);
            int slash = prefix.lastIndexOf('/');
            root = ctx == null
                    ? null
                    : ctx.resolvePath(slash < 0 ? "." : slash == 0 ? "/" : prefix.substring(0, slash));
        }
        return new PathTemplate(ctx, text, lits.toArray(new String[0]), names.toArray(new String[0]), root);
    }

    /** Whether the path has no placeholder (every record goes to one file). */
    public boolean isConstant() {
        return fields.length == 0;
    }

    /** The directory expanded paths must stay in (before the first placeholder), or null for a constant path. */
    Path directory() {
        return root;
    }

    /** The path as configured. */
    @Override
    public String toString() {
        return text;
    }

    /**
     * The path for {@code r}, as text relative to the pipeline file (or absolute). A constant path
     * returns the same string instance every time.
     *
     * @throws Escape when a placeholder's value is missing or not a safe file-name part
     */
    public String expand(Record r) throws Escape {
        if (fields.length == 0) return literals[0];
        StringBuilder sb = new StringBuilder(text.length() + 16).append(literals[0]);
        for (int i = 0; i < fields.length; i++) {
            sb.append(segment(r, fields[i])).append(literals[i + 1]);
        }
        return sb.toString();
    }

    /**
     * The file an expanded path names.
     *
     * @throws Escape when it lies outside the template's directory
     */
    public Path resolve(String expanded) throws Escape {
        Path p = ctx.resolvePath(expanded);
        // Values are checked one by one; this catches combinations such as "{a}{b}" with "." and ".".
        if (root != null && (!p.startsWith(root) || p.equals(root))) {
            throw new Escape("path '" + expanded + "' (from " + text + ") leaves " + root);
        }
        return p;
    }

    private String segment(Record r, String field) throws Escape {
        Object v = r.get(field);
        if (v == null) {
            throw new Escape("field '" + field + "' is missing or null; path " + text + " needs it");
        }
        String s = v instanceof String str ? str : (String) FieldType.STRING.convert(v);
        if (s.isEmpty()
                || s.equals(".")
                || s.equals("..")
                || s.indexOf('/') >= 0
                || s.indexOf('\\') >= 0
                || s.indexOf('\0') >= 0) {
            throw new Escape("field '" + field + "' value '" + s + "' cannot be part of path " + text
                    + ": it must be a plain file name (not empty, '.' or '..', no '/' or '\\') so that the file stays in "
                    + root);
        }
        return s;
    }

    /** A record whose values do not make a path inside the template's directory. */
    public static final class Escape extends Exception {
        private static final long serialVersionUID = 1L;

        Escape(String message) {
            // A per-record outcome, not a bug: no stack trace.
            super(message, null, false, false);
        }
    }
}
