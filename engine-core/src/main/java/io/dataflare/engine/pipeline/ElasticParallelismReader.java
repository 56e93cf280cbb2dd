package io.dataflare.engine.pipeline;

import io.dataflare.engine.config.ConfigNode;
import io.dataflare.engine.config.MapNode;
import io.dataflare.engine.config.Problem;
import io.dataflare.engine.config.ScalarNode;
import io.dataflare.engine.state.KeyGroups;
import java.util.List;

/** Reads {@code parallelism:} written as a map into an {@link ElasticParallelism}, naming every bad field. */
final class ElasticParallelismReader {
    static final List<String> KEYS = List.of(
            "min",
            "max",
            "initial",
            "auto",
            "scale_threshold",
            "scale_down_threshold",
            "scale_up_after_ms",
            "scale_down_after_ms",
            "window_batches",
            "check_interval_ms",
            "scale_up_step",
            "scale_up_percent",
            "scale_up_percent_from",
            "scale_down_step");

    private final List<Problem> problems;

    ElasticParallelismReader(List<Problem> problems) {
        this.problems = problems;
    }

    /** The elastic parallelism, or null when it has problems (reported). */
    ElasticParallelism read(MapNode m) {
        int before = problems.size();
        PipelineParser.checkKeys(m, KEYS, "parallelism", problems);
        // instances own key groups: there can never be more instances than groups
        int limit = KeyGroups.DEFAULT_COUNT;
        int min = integer(m, "min", 1, 1, limit);
        if (!m.has("max")) problems.add(new Problem(m.location(), "parallelism.max is required in the map form"));
        int max = integer(m, "max", min, 1, limit);
        int initial = integer(m, "initial", min, 1, limit);
        if (max < min)
            problems.add(new Problem(
                    m.get("max") == null ? m.location() : m.get("max").location(),
                    "parallelism.max (" + max + ") must be at least parallelism.min (" + min + ")"));
        if (initial < min || initial > max)
            problems.add(new Problem(
                    m.get("initial") == null ? m.location() : m.get("initial").location(),
                    "parallelism.initial (" + initial + ") must be between min (" + min + ") and max (" + max + ")"));
        boolean auto = bool(m, "auto");
        ElasticParallelism.Autoscale d = ElasticParallelism.Autoscale.DEFAULTS;
        double up = fraction(m, "scale_threshold", d.upThreshold());
        double down = fraction(m, "scale_down_threshold", d.downThreshold());
        if (down >= up)
            problems.add(new Problem(
                    m.get("scale_down_threshold") == null
                            ? m.location()
                            : m.get("scale_down_threshold").location(),
                    "parallelism.scale_down_threshold (" + down + ") must be below parallelism.scale_threshold (" + up
                            + ")"));
        ElasticParallelism.Autoscale a = new ElasticParallelism.Autoscale(
                up,
                down,
                integer(m, "scale_up_after_ms", (int) d.upAfterMs(), 0, 86_400_000),
                integer(m, "scale_down_after_ms", (int) d.downAfterMs(), 0, 86_400_000),
                integer(m, "window_batches", d.windowBatches(), 1, 100_000),
                integer(m, "check_interval_ms", (int) d.checkIntervalMs(), 10, 3_600_000),
                integer(m, "scale_up_step", d.upStep(), 1, limit),
                integer(m, "scale_up_percent", d.upPercent(), 1, 1000),
                integer(m, "scale_up_percent_from", d.upPercentFrom(), 1, limit),
                integer(m, "scale_down_step", d.downStep(), 1, limit));
        return problems.size() == before ? new ElasticParallelism(min, max, initial, auto, a) : null;
    }

    private int integer(MapNode m, String key, int dflt, int lo, int hi) {
        ConfigNode n = m.get(key);
        if (n == null) return dflt;
        if (n.containsUnresolved()) return dflt;
        Object v = n instanceof ScalarNode s ? s.value() : null;
        Long value = v instanceof Long l
                ? l
                : v instanceof String s && s.trim().matches("-?\\d+") ? Long.valueOf(s.trim()) : null;
        if (value == null) {
            problems.add(
                    new Problem(n.location(), "parallelism." + key + " must be a whole number, found " + n.describe()));
            return dflt;
        }
        if (value < lo || value > hi) {
            problems.add(new Problem(
                    n.location(), "parallelism." + key + " must be between " + lo + " and " + hi + ", found " + value));
            return dflt;
        }
        return value.intValue();
    }

    private double fraction(MapNode m, String key, double dflt) {
        ConfigNode n = m.get(key);
        if (n == null || n.containsUnresolved()) return dflt;
        Object v = n instanceof ScalarNode s ? s.value() : null;
        Double value = v instanceof Number num
                ? Double.valueOf(num.doubleValue())
                : v instanceof String s && s.trim().matches("\\d*\\.?\\d+") ? Double.valueOf(s.trim()) : null;
        if (value == null || value <= 0 || value > 1) {
            problems.add(new Problem(
                    n.location(),
                    "parallelism." + key + " must be a number above 0 and at most 1, found " + n.describe()));
            return dflt;
        }
        return value;
    }

    private boolean bool(MapNode m, String key) {
        ConfigNode n = m.get(key);
        if (n == null || n.containsUnresolved()) return false;
        if (n instanceof ScalarNode s && s.value() instanceof Boolean b) return b;
        if (n instanceof ScalarNode s && ("true".equals(s.value()) || "false".equals(s.value())))
            return "true".equals(s.value());
        problems.add(new Problem(n.location(), "parallelism." + key + " must be true or false, found " + n.describe()));
        return false;
    }
}
