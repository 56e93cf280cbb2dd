package io.dataflare.plugins.files.csv;

import com.fasterxml.jackson.core.JsonFactory;
import io.dataflare.json.RecordJson;
import io.dataflare.plugins.files.output.RecordEncoder;
import io.dataflare.plugins.files.output.SinkFormat;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CSV as a {@link SinkFormat}. Remembers each output's column order, so that a file closed early and
 * reopened keeps the columns of its header.
 */
public final class CsvSinkFormat implements SinkFormat {
    private final CsvOptions options;
    private final JsonFactory json = RecordJson.newFactory();
    private final Map<String, List<String>> columnsByTarget = new HashMap<>();

    /** The format for these options. */
    public CsvSinkFormat(CsvOptions options) {
        this.options = options;
    }

    @Override
    public RecordEncoder open(OutputStream out, String target, boolean fresh) {
        List<String> columns = columnsByTarget.getOrDefault(target, options.columns());
        return new CsvEncoder(
                out,
                options.delimiter(),
                columns,
                options.header() && fresh,
                c -> columnsByTarget.put(target, c),
                json);
    }
}
