package io.dataflare.support.template;

import io.dataflare.api.PluginContext;
import io.dataflare.api.data.Record;
import java.nio.file.Path;

/**
 * A sink's {@code path} with optional {@code {field}} placeholders, such as {@code out/{country}.csv}. A
 * placeholder takes the record's value of that field, which must be a plain file-name part (see {@link
 * ValueEncoders#fileNamePart}); the expanded path must stay inside the directory that precedes the first
 * placeholder ({@code out/}). A record whose values would lead elsewhere is refused with a {@link
 * TemplateRejection}.
 */
public final class PathTemplate {
    private final PluginContext ctx;
    private final FieldTemplate template;
    private final Path root;
    private final FieldTemplate.ValueEncoder segment;

    private PathTemplate(PluginContext ctx, FieldTemplate template, Path root) {
        this.ctx = ctx;
        this.template = template;
        this.root = root;
        this.segment = ValueEncoders.fileNamePart(template.toString(), root);
    }

    /**
     * Parses {@code text}; {@code ctx} may be null to check the syntax only.
     *
     * @throws IllegalArgumentException for an unopened, unclosed, empty or nested placeholder
     */
    public static PathTemplate parse(PluginContext ctx, String text) {
        FieldTemplate t = FieldTemplate.parse(text, "path");
        Path root = null;
        if (!t.isConstant() && ctx != null) {
            String prefix = t.prefix();
            int slash = prefix.lastIndexOf('/');
            root = ctx.resolvePath(slash < 0 ? "." : slash == 0 ? "/" : prefix.substring(0, slash))
                    .toAbsolutePath()
                    .normalize();
        }
        return new PathTemplate(ctx, t, root);
    }

    /** Whether the path has no placeholder (every record goes to one file). */
    public boolean isConstant() {
        return template.isConstant();
    }

    /** Whether the path ends with {@code /} (names a folder rather than a file). */
    public boolean namesFolder() {
        return template.suffix().endsWith("/");
    }

    /** The directory expanded paths must stay in (before the first placeholder), or null for a constant path. */
    public Path directory() {
        return root;
    }

    /**
     * The path for {@code r}, as text relative to the pipeline file (or absolute). A constant path returns the
     * same string instance every time.
     *
     * @throws TemplateRejection when a placeholder's value is missing or not a plain file-name part
     */
    public String expand(Record r) {
        return template.expand(r, segment);
    }

    /**
     * The file an expanded path names.
     *
     * @throws TemplateRejection when it lies outside the directory before the first placeholder
     */
    public Path resolve(String expanded) {
        Path p = ctx.resolvePath(expanded).toAbsolutePath().normalize();
        // Values are checked one by one; this catches combinations such as "{a}{b}" with "." and ".".
        if (root != null && (!p.startsWith(root) || p.equals(root))) {
            throw new TemplateRejection("path '" + expanded + "' (from " + template + ") leaves " + root);
        }
        return p;
    }

    /** The path as configured. */
    @Override
    public String toString() {
        return template.toString();
    }
}
