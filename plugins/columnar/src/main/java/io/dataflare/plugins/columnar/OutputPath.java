package io.dataflare.plugins.columnar;

import io.dataflare.api.PluginContext;
import io.dataflare.api.data.FieldType;
import io.dataflare.api.data.Record;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A sink's {@code path} with optional {@code {field}} placeholders ({@code out/country={country}/orders.parquet}):
 * a placeholder takes the record's value of that field, which must be a plain file-name part (not empty, not
 * {@code .} or {@code ..}, without {@code /}, {@code \} or NUL), and the file must stay inside the directory
 * before the first placeholder. Same rules as the {@code files} plugin's paths (plugins do not share classes).
 */
final class OutputPath {
    private final PluginContext ctx;
    private final String text;
    private final String[] literals;
    private final String[] fields;
    private final Path root;

    private OutputPath(PluginContext ctx, String text, String[] literals, String[] fields, Path root) {
        this.ctx = ctx;
        this.text = text;
        this.literals = literals;
        this.fields = fields;
        this.root = root;
    }

    /**
     * Parses {@code text}; {@code ctx} may be null to check the syntax only.
     *
     * @throws IllegalArgumentException for an unclosed or empty placeholder
     */
    static OutputPath parse(PluginContext ctx, String text) {
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
        if (lits.get(lits.size() - 1).endsWith("/"))
            throw new IllegalArgumentException("must name a file, not a folder");
        Path root = null;
        if (!names.isEmpty() && ctx != null) {
            String prefix = lits.get(0);
            int slash = prefix.lastIndexOf('/');
            root = ctx.resolvePath(slash < 0 ? "." : slash == 0 ? "/" : prefix.substring(0, slash))
                    .toAbsolutePath()
                    .normalize();
        }
        return new OutputPath(ctx, text, lits.toArray(new String[0]), names.toArray(new String[0]), root);
    }

    boolean isConstant() {
        return fields.length == 0;
    }

    @Override
    public String toString() {
        return text;
    }

    /**
     * The path for {@code r}, as text relative to the pipeline file (or absolute).
     *
     * @throws IllegalArgumentException when a placeholder's value is missing or not a plain file-name part
     */
    String expand(Record r) {
        if (fields.length == 0) return literals[0];
        StringBuilder sb = new StringBuilder(text.length() + 16).append(literals[0]);
        for (int i = 0; i < fields.length; i++) sb.append(segment(r, fields[i])).append(literals[i + 1]);
        return sb.toString();
    }

    /**
     * The file an expanded path names.
     *
     * @throws IllegalArgumentException when it lies outside the directory before the first placeholder
     */
    Path resolve(String expanded) {
        Path p = ctx.resolvePath(expanded).toAbsolutePath().normalize();
        // values are checked one by one; this catches combinations such as "{a}{b}" with "." and "."
        if (root != null && (!p.startsWith(root) || p.equals(root))) {
            throw new IllegalArgumentException("path '" + expanded + "' (from " + text + ") leaves " + root);
        }
        return p;
    }

    private String segment(Record r, String field) {
        Object v = r.get(field);
        if (v == null)
            throw new IllegalArgumentException("field '" + field + "' is missing or null; path " + text + " needs it");
        String s = v instanceof String str ? str : (String) FieldType.STRING.convert(v);
        if (s.isEmpty()
                || s.equals(".")
                || s.equals("..")
                || s.indexOf('/') >= 0
                || s.indexOf('\\') >= 0
                || s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("field '" + field + "' value '" + s + "' cannot be part of path " + text
                    + ": it must be a plain file name (not empty, '.' or '..', no '/' or '\\')");
        }
        return s;
    }
}
