package io.dataflare.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a developer writes instead of a pipeline: jackson-dataformat-csv reads the rows as maps (header schema),
 * the three numeric columns are converted, {@code n2 = id * 2} is added, and Jackson writes each record as a JSON
 * line. One thread, no engine.
 */
final class JacksonLoopRow implements Row {
    private final CsvMapper csv = new CsvMapper();
    private final ObjectMapper json = new ObjectMapper();

    @Override
    public String name() {
        return "jackson-loop";
    }

    @Override
    public long run(Path input, Path outDir) throws Exception {
        long rows = 0;
        // a flush per record would make this row slower than what a developer writes; separators are our '\n'
        ObjectWriter writer = json.writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
        try (MappingIterator<Map<String, String>> it = csv.readerForMapOf(String.class)
                        .with(CsvSchema.emptySchema().withHeader())
                        .readValues(input.toFile());
                OutputStream os =
                        new BufferedOutputStream(Files.newOutputStream(outDir.resolve("jackson-loop.jsonl")), 1 << 16);
                JsonGenerator gen = json.createGenerator(os)) {
            gen.setRootValueSeparator(null);
            while (it.hasNextValue()) {
                Map<String, String> in = it.nextValue();
                Map<String, Object> out = new LinkedHashMap<>(in);
                long id = Long.parseLong(in.get("id"));
                out.put("id", id);
                out.put("amount", Double.parseDouble(in.get("amount")));
                out.put("quantity", Long.parseLong(in.get("quantity")));
                out.put("n2", id * 2);
                writer.writeValue(gen, out);
                gen.writeRaw('\n');
                rows++;
            }
        }
        return rows;
    }
}
