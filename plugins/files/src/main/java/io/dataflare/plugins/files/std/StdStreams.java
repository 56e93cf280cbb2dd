package io.dataflare.plugins.files.std;

import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.plugins.files.LineFormat;

/** The {@code format} option of {@code stdin} and {@code stdout}. */
final class StdStreams {
    static final String FORMAT = "format";

    private StdStreams() {}

    static ConfigSpec.Builder declareFormat(ConfigSpec.Builder spec) {
        return spec.oneOf(FORMAT, "jsonl", LineFormat.NAMES, "Line format: csv or jsonl");
    }

    static LineFormat format(PluginConfig config) {
        return LineFormat.of(config.getString(FORMAT, "jsonl"));
    }
}
