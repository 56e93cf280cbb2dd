package io.dataflare.plugins.columnar;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.support.files.FileGlob;
import io.dataflare.support.template.PathTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.apache.avro.Schema;

/** The options of the {@code parquet-file} and {@code avro-file} sources and sinks, and how they open. */
final class ColumnarOptions {
    static final String PATH = "path";
    static final String SCHEMA = "schema";
    static final String COMPRESSION = "compression";
    static final String MAX_OPEN_FILES = "max_open_files";

    private ColumnarOptions() {}

    static ConfigSpec sourceSpec() {
        return ConfigSpec.builder()
                .required(
                        PATH,
                        ConfigType.STRING,
                        "File or glob (data/*.parquet), relative to the pipeline file; files are read in name order")
                .build();
    }

    static ConfigSpec sinkSpec(ColumnarFormat format) {
        List<String> codecs = format.codecs();
        return ConfigSpec.builder()
                .required(
                        PATH,
                        ConfigType.STRING,
                        "Output file, relative to the pipeline file; {field} placeholders split records by value;"
                                + " with checkpoints each later part is STEM_00001.EXT...")
                .optional(
                        SCHEMA,
                        ConfigType.MAP,
                        null,
                        "field -> string|long|int|double|float|boolean|bytes|timestamp|timestamp_millis|date|decimal(P,S);"
                                + " without it the columns are inferred from the first batch")
                .oneOf(COMPRESSION, codecs.get(0), codecs, "Compression of the file's data")
                .optional(
                        MAX_OPEN_FILES,
                        ConfigType.LONG,
                        64L,
                        "Files with an unfinished part at once (path with placeholders); beyond it the least recently"
                                + " written part is finished early")
                .tuning(MAX_OPEN_FILES)
                .build();
    }

    /** Checks the sink's path and schema. */
    static void validateSink(PluginConfig config) {
        String path = config.getString(PATH);
        if (path.isBlank()) throw new ConfigException(PATH, "must name a file");
        PathTemplate template;
        try {
            template = PathTemplate.parse(null, path);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(PATH, e.getMessage());
        }
        if (template.namesFolder()) throw new ConfigException(PATH, "must name a file, not a folder");
        long max = config.getLong(MAX_OPEN_FILES, 64);
        if (max < 1 || max > 10_000) throw new ConfigException(MAX_OPEN_FILES, "must be from 1 to 10000, got " + max);
        declaredSchema(config);
    }

    static Schema declaredSchema(PluginConfig config) {
        if (!config.has(SCHEMA) || config.get(SCHEMA) == null) return null;
        var types = config.getMap(SCHEMA);
        if (types.isEmpty()) throw new ConfigException(SCHEMA, "must name at least one field");
        try {
            return Schemas.declared(types);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(SCHEMA, e.getMessage());
        }
    }

    /**
     * Checks, before the run, that the source's files exist and are of the format.
     *
     * @throws ConfigException on {@code path} naming the file that is not
     */
    static List<Path> sourceFiles(PluginContext ctx, ColumnarFormat format) {
        String pattern = ctx.config().getString(PATH);
        try {
            List<Path> files = FileGlob.expand(ctx, PATH, pattern).stream()
                    .map(f -> f.toAbsolutePath().normalize())
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
            for (Path f : files) format.checkMagic(f);
            return files;
        } catch (IOException e) {
            throw new ConfigException(PATH, e.getMessage());
        }
    }

    /** Checks, before the run, that the sink's file is not a directory and its directory can be written. */
    static void preflightSink(PluginContext ctx) {
        // with placeholders, the directory before the first one is what must be creatable
        String text = ctx.config().getString(PATH);
        int placeholder = text.indexOf('{');
        Path file = ctx.resolvePath(placeholder < 0 ? text : text.substring(0, placeholder) + "x")
                .toAbsolutePath()
                .normalize();
        if (placeholder < 0 && Files.isDirectory(file)) {
            throw new ConfigException(PATH, file + " is a directory, not a file");
        }
        for (Path p = file.getParent(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p)) {
                if (!Files.isWritable(p)) throw new ConfigException(PATH, "the directory " + p + " is not writable");
                return;
            }
            if (Files.exists(p))
                throw new ConfigException(PATH, "cannot create the directory of " + file + ": " + p + " is a file");
        }
    }

    static ColumnarSource openSource(PluginContext ctx, ColumnarFormat format) {
        return new ColumnarSource(sourceFiles(ctx, format), format);
    }

    static ColumnarSink openSink(PluginContext ctx, ColumnarFormat format) {
        PluginConfig c = ctx.config();
        return new ColumnarSink(
                PathTemplate.parse(ctx, c.getString(PATH)),
                format,
                declaredSchema(c),
                c.getString(COMPRESSION, format.codecs().get(0)),
                c.getInt(MAX_OPEN_FILES, 64));
    }
}
