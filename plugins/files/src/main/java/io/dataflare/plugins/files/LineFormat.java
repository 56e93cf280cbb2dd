package io.dataflare.plugins.files;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.plugins.files.csv.CsvOptions;
import io.dataflare.plugins.files.csv.CsvRowReader;
import io.dataflare.plugins.files.csv.CsvSinkFormat;
import io.dataflare.plugins.files.input.ByteInput;
import io.dataflare.plugins.files.input.FileSources;
import io.dataflare.plugins.files.input.RowReaderFactory;
import io.dataflare.plugins.files.jsonl.JsonLineEncoder;
import io.dataflare.plugins.files.jsonl.JsonLineReader;
import io.dataflare.plugins.files.jsonl.JsonlOptions;
import io.dataflare.plugins.files.output.SinkFormat;
import java.util.List;
import java.util.Locale;

/**
 * The line formats, each with its one decoder and one encoder, shared by the file components and the
 * standard stream components.
 */
public enum LineFormat {
    /** Comma-separated values (the CSV options apply). */
    CSV,
    /** One JSON object per line. */
    JSONL;

    /** The names accepted by a {@code format} option. */
    public static final List<String> NAMES = List.of("csv", "jsonl");

    /** The format named {@code name} ({@code csv} or {@code jsonl}). */
    public static LineFormat of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** Checks the format's own options. */
    public void validate(PluginConfig config) {
        if (this == CSV) CsvOptions.validate(config);
        FileSources.validate(config);
        if (config.has(ByteInput.MAX_RECORD_BYTES)) ByteInput.maxRecordBytes(config);
    }

    /** Opens a decoder per input, for one source instance. */
    public RowReaderFactory readers(PluginContext ctx) {
        int maxRow = ByteInput.maxRecordBytes(ctx.config());
        return this == CSV
                ? CsvRowReader.factory(CsvOptions.from(ctx.config()), ctx.logger(), maxRow)
                : JsonLineReader.factory(maxRow, JsonlOptions.decimals(ctx.config()));
    }

    /** The encoder side, for one sink instance. */
    public SinkFormat sinkFormat(PluginContext ctx) {
        return this == CSV ? new CsvSinkFormat(CsvOptions.from(ctx.config())) : JsonLineEncoder.format();
    }
}
