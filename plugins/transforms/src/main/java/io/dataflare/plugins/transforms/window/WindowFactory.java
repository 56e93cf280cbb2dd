package io.dataflare.plugins.transforms.window;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigOption;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import java.util.List;
import org.pf4j.Extension;

/**
 * The {@code window} processor: keyed tumbling, sliding, session and count windows by event time (watermark,
 * allowed lateness) or processing time, with count/sum/avg/min/max/first/last aggregates and JEXL expressions
 * over them. Window contents live in keyed state, so they are checkpointed with the source positions.
 */
@Extension
public final class WindowFactory implements ProcessorFactory {
    static final String TYPE = "type";
    static final String SIZE_MS = "size_ms";
    static final String SLIDE_MS = "slide_ms";
    static final String GAP_MS = "gap_ms";
    static final String SIZE = "size";
    static final String KEY = "key";
    static final String TIME = "time";
    static final String EVENT_TIME = "event_time";
    static final String WATERMARK = "watermark";
    static final String MAX_OUT_OF_ORDER = "max_out_of_order_ms";
    static final String ALLOWED_LATENESS = "allowed_lateness_ms";
    static final String LATE = "late";
    static final String AGGREGATES = "aggregates";
    static final String DERIVED = "derived";
    /** The outputs when {@code late: output}. */
    static final String RESULTS_OUTPUT = "results";

    static final String LATE_OUTPUT = "late";

    @Override
    public String name() {
        return "window";
    }

    @Override
    public String description() {
        return "Aggregates records per key over tumbling, sliding, session or count windows";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .option(new ConfigOption(
                        TYPE,
                        ConfigType.STRING,
                        true,
                        null,
                        "The kind of window",
                        List.of("tumbling", "sliding", "session", "count")))
                .optional(SIZE_MS, ConfigType.LONG, null, "tumbling/sliding: the window length in milliseconds")
                .optional(SLIDE_MS, ConfigType.LONG, null, "sliding: how often a window starts, in milliseconds")
                .optional(GAP_MS, ConfigType.LONG, null, "session: inactivity that closes a key's session")
                .optional(SIZE, ConfigType.LONG, null, "count: records per window")
                .optional(KEY, ConfigType.STRING, null, "Field whose value keys the windows (none: one window set)")
                .oneOf(TIME, "event", List.of("event", "processing"), "Event time or processing time")
                .optional(
                        EVENT_TIME,
                        ConfigType.STRING,
                        null,
                        "Field holding the event time (timestamp, epoch ms or ISO-8601); none: the record's event time")
                .optional(WATERMARK, ConfigType.MAP, null, "{max_out_of_order_ms: N}: how far event time may go back")
                .optional(
                        ALLOWED_LATENESS,
                        ConfigType.LONG,
                        0L,
                        "How long after its end a fired window still takes late records (each emits an update)")
                .oneOf(
                        LATE,
                        "dead_letter",
                        List.of("dead_letter", "output"),
                        "Too-late records: rejected to the error policy, or to the named output 'late'")
                .required(AGGREGATES, ConfigType.MAP, "{name: \"count()\" | \"sum(f)\" | \"avg(f)\" | ...}")
                .optional(DERIVED, ConfigType.MAP, null, "{name: JEXL expression over the aggregates}")
                .build();
    }

    @Override
    public void validate(PluginConfig config) {
        WindowSpec.of(config);
    }

    /** None (the main output) unless late records go to the output {@code late}. */
    @Override
    public List<String> outputs(PluginConfig config) {
        return "output".equals(config.getString(LATE)) ? List.of(RESULTS_OUTPUT, LATE_OUTPUT) : List.of();
    }

    @Override
    public Processor create(PluginContext ctx) {
        return new WindowProcessor(WindowSpec.of(ctx.config()), ctx);
    }
}
