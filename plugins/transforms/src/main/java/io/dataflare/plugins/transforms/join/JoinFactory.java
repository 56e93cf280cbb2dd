package io.dataflare.plugins.transforms.join;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigError;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * The {@code join} processor: enriches a stream from a table kept up to date by a second, changelog-style input.
 * The stage reads both inputs ({@code from: [orders, customers]}); a header on each record (by default
 * {@code input}, set upstream) names the input it belongs to. Table records upsert the row of their key (kept in
 * keyed state, so it survives a resume) or delete it ({@code op: d}); stream records get the table row's fields.
 */
@Extension
public final class JoinFactory implements ProcessorFactory {
    static final String STREAM = "stream";
    static final String TABLE = "table";
    static final String ON = "on";
    static final String FIELDS = "fields";
    static final String MISSING = "missing";
    static final String INPUT_HEADER = "input_header";
    static final String OP_FIELD = "op_field";
    static final String WITHIN_MS = "within_ms";

    @Override
    public String name() {
        return "join";
    }

    @Override
    public String description() {
        return "Enriches a stream with the fields of a table kept up to date by a changelog input";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .required(STREAM, ConfigType.STRING, "The input name (header value) of the stream records")
                .required(TABLE, ConfigType.STRING, "The input name (header value) of the table's changelog records")
                .required(ON, ConfigType.MAP, "{stream_field: table_field}: the join key on each side")
                .optional(FIELDS, ConfigType.STRING_LIST, null, "Table fields added to stream records (default: all)")
                .optional(MISSING, ConfigType.STRING, "keep", "No table row for the key: keep | drop | dead-letter")
                .optional(INPUT_HEADER, ConfigType.STRING, "input", "The header naming each record's input")
                .optional(OP_FIELD, ConfigType.STRING, "op", "Table field whose value 'd' deletes the key's row")
                .optional(
                        WITHIN_MS,
                        ConfigType.LONG,
                        null,
                        "Join two streams instead: pair records of the two inputs arriving within this many ms")
                .build();
    }

    @Override
    public void validate(PluginConfig config) {
        List<ConfigError> errors = new ArrayList<>();
        settings(config, errors);
        if (!errors.isEmpty()) throw new ConfigException(errors);
    }

    @Override
    public Processor create(PluginContext ctx) {
        List<ConfigError> errors = new ArrayList<>();
        JoinSettings s = settings(ctx.config(), errors);
        if (!errors.isEmpty()) throw new ConfigException(errors);
        Long within = ctx.config().getLong(WITHIN_MS);
        return within == null
                ? new JoinProcessor(s, ctx.state())
                : new WindowJoinProcessor(s, within, ctx.state(), ctx.clock());
    }

    static JoinSettings settings(PluginConfig config, List<ConfigError> errors) {
        String stream = config.getString(STREAM);
        String table = config.getString(TABLE);
        if (stream != null && stream.equals(table)) {
            errors.add(new ConfigError(TABLE, "must differ from 'stream' ('" + table + "')"));
        }
        Map<String, Object> on = config.getMap(ON);
        String streamField = null;
        String tableField = null;
        if (on == null || on.size() != 1) {
            errors.add(new ConfigError(ON, "must be one pair {stream_field: table_field}, found " + on));
        } else {
            Map.Entry<String, Object> e = on.entrySet().iterator().next();
            streamField = e.getKey();
            if (!(e.getValue() instanceof String t) || t.isBlank()) {
                errors.add(new ConfigError(ON + "." + streamField, "must name the table's key field"));
            } else {
                tableField = t;
            }
        }
        List<String> fields = null;
        if (config.has(FIELDS)) {
            List<Object> raw = config.getList(FIELDS);
            fields = new ArrayList<>();
            for (int i = 0; i < raw.size(); i++) {
                if (raw.get(i) instanceof String f && !f.isBlank()) fields.add(f);
                else errors.add(new ConfigError(FIELDS + "." + i, "must be a field name, found " + raw.get(i)));
            }
        }
        Long within = config.getLong(WITHIN_MS);
        if (within != null && within < 1) errors.add(new ConfigError(WITHIN_MS, "must be at least 1, found " + within));
        if (within != null && !"keep".equals(config.getString(MISSING, "keep"))) {
            errors.add(new ConfigError(MISSING, "does not apply with 'within_ms' (a windowed join emits pairs only)"));
        }
        String missingText = config.getString(MISSING, "keep");
        Missing missing = Missing.parse(missingText);
        if (missing == null) {
            errors.add(new ConfigError(MISSING, "'" + missingText + "' is not one of keep, drop, dead-letter"));
        }
        return new JoinSettings(
                stream,
                table,
                streamField,
                tableField,
                fields,
                missing,
                config.getString(INPUT_HEADER, "input"),
                config.getString(OP_FIELD, "op"));
    }

    /** What a stream record without a table row becomes. */
    enum Missing {
        KEEP,
        DROP,
        DEAD_LETTER;

        static Missing parse(String s) {
            return switch (s) {
                case "keep" -> KEEP;
                case "drop" -> DROP;
                case "dead-letter" -> DEAD_LETTER;
                default -> null;
            };
        }
    }

    /** The validated options. */
    record JoinSettings(
            String stream,
            String table,
            String streamField,
            String tableField,
            List<String> fields,
            Missing missing,
            String inputHeader,
            String opField) {}
}
