package io.dataflare.plugins.files.jsonl;

import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.json.Decimals;
import java.util.List;
import java.util.Locale;

/**
 * The JSON-lines reading option {@code decimals}: {@code double} (the default) reads a number with a fraction
 * or an exponent as a double, {@code exact} as a decimal with its exact digits (amounts of money). Integers
 * are longs either way.
 */
public final class JsonlOptions {
    static final String DECIMALS = "decimals";

    private JsonlOptions() {}

    /** Declares {@code decimals}. */
    public static ConfigSpec.Builder declareRead(ConfigSpec.Builder spec) {
        return spec.oneOf(
                DECIMALS,
                "double",
                List.of("double", "exact"),
                "Numbers with a fraction: double, or exact (decimal values that keep every digit)");
    }

    /** How the configuration asks fractions to be read. */
    public static Decimals decimals(PluginConfig config) {
        return "exact".equals(config.getString(DECIMALS, "double").toLowerCase(Locale.ROOT))
                ? Decimals.EXACT
                : Decimals.DOUBLE;
    }
}
