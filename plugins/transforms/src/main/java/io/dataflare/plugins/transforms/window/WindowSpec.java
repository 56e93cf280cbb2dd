package io.dataflare.plugins.transforms.window;

import io.dataflare.api.config.ConfigError;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.plugins.transforms.expr.Expressions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The checked configuration of one {@code window} stage. */
record WindowSpec(
        String type,
        long size,
        long slide,
        long gap,
        String key,
        boolean eventTime,
        String timeField,
        long maxOutOfOrder,
        long allowedLateness,
        boolean lateToOutput,
        List<Aggregate> aggregates,
        Map<String, String> derived) {

    static final String TUMBLING = "tumbling";
    static final String SLIDING = "sliding";
    static final String SESSION = "session";
    static final String COUNT = "count";

    /** Reads and checks {@code config}; every problem is reported at once, each naming its option. */
    static WindowSpec of(PluginConfig c) {
        List<ConfigError> errors = new ArrayList<>();
        String type = c.getString(WindowFactory.TYPE);
        long size = 0, slide = 0, gap = 0;
        switch (type) {
            case TUMBLING -> {
                size = positive(c, WindowFactory.SIZE_MS, errors);
                slide = size;
            }
            case SLIDING -> {
                size = positive(c, WindowFactory.SIZE_MS, errors);
                slide = positive(c, WindowFactory.SLIDE_MS, errors);
                if (slide > size) {
                    errors.add(new ConfigError(WindowFactory.SLIDE_MS, "must not exceed size_ms (" + size + ")"));
                }
            }
            case SESSION -> gap = positive(c, WindowFactory.GAP_MS, errors);
            case COUNT -> size = positive(c, WindowFactory.SIZE, errors);
            default -> errors.add(new ConfigError(WindowFactory.TYPE, "unknown window type '" + type + "'"));
        }
        boolean event = "event".equals(c.getString(WindowFactory.TIME));
        long ooo = 0;
        Map<String, Object> wm = c.getMap(WindowFactory.WATERMARK);
        if (wm != null) {
            for (Map.Entry<String, Object> e : wm.entrySet()) {
                if (!WindowFactory.MAX_OUT_OF_ORDER.equals(e.getKey())) {
                    errors.add(new ConfigError(
                            WindowFactory.WATERMARK + "." + e.getKey(),
                            "unknown key (watermark has max_out_of_order_ms)"));
                } else if (!(e.getValue() instanceof Number n) || n.longValue() < 0) {
                    errors.add(new ConfigError(
                            WindowFactory.WATERMARK + "." + WindowFactory.MAX_OUT_OF_ORDER,
                            "must be a number of milliseconds >= 0, found " + e.getValue()));
                } else {
                    ooo = n.longValue();
                }
            }
        }
        long lateness = c.getLong(WindowFactory.ALLOWED_LATENESS, 0L);
        if (lateness < 0) errors.add(new ConfigError(WindowFactory.ALLOWED_LATENESS, "must be >= 0"));
        List<Aggregate> aggregates = new ArrayList<>();
        Map<String, Object> aggs = c.getMap(WindowFactory.AGGREGATES);
        if (aggs == null || aggs.isEmpty()) {
            errors.add(
                    new ConfigError(WindowFactory.AGGREGATES, "needs at least one aggregate, e.g. {n: \"count()\"}"));
        } else {
            for (Map.Entry<String, Object> e : aggs.entrySet()) {
                String at = WindowFactory.AGGREGATES + "." + e.getKey();
                if (WindowProcessor.RESERVED.contains(e.getKey())) {
                    errors.add(new ConfigError(
                            at, "'" + e.getKey() + "' is an output field of window; pick another name"));
                    continue;
                }
                Aggregate a = Aggregate.parse(at, e.getKey(), e.getValue(), errors);
                if (a != null) aggregates.add(a);
            }
        }
        Map<String, String> derived = new LinkedHashMap<>();
        Map<String, Object> der = c.getMap(WindowFactory.DERIVED);
        if (der != null) {
            for (Map.Entry<String, Object> e : der.entrySet()) {
                String at = WindowFactory.DERIVED + "." + e.getKey();
                if (!(e.getValue() instanceof String text) || text.isBlank()) {
                    errors.add(new ConfigError(at, "must be a JEXL expression over the aggregates"));
                    continue;
                }
                try {
                    Expressions.check(at, text);
                    derived.put(e.getKey(), text);
                } catch (ConfigException ex) {
                    errors.addAll(ex.errors());
                }
            }
        }
        if (!errors.isEmpty()) throw new ConfigException(errors);
        return new WindowSpec(
                type,
                size,
                slide,
                gap,
                c.getString(WindowFactory.KEY),
                event,
                c.getString(WindowFactory.EVENT_TIME),
                event ? ooo : 0,
                event ? lateness : 0,
                "output".equals(c.getString(WindowFactory.LATE)),
                List.copyOf(aggregates),
                Map.copyOf(derived));
    }

    private static long positive(PluginConfig c, String option, List<ConfigError> errors) {
        Object v = c.get(option);
        if (v == null) {
            errors.add(new ConfigError(option, "is required for this window type"));
            return 1;
        }
        if (!(v instanceof Number n) || n.longValue() <= 0) {
            errors.add(new ConfigError(option, "must be a positive number, found " + v));
            return 1;
        }
        return n.longValue();
    }
}
