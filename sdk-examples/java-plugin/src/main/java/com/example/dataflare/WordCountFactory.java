package com.example.dataflare;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.error.InvalidRecordException;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import org.pf4j.Extension;

/**
 * {@code word-count}: counts the words of a text field into another field. A record whose field is
 * missing or not text is rejected (it goes to the pipeline's error policy), never dropped silently.
 *
 * <pre>{@code
 * processors:
 *   count: { use: word-count@^1, from: [in], with: { field: text, into: words } }
 * }</pre>
 */
@Extension
public class WordCountFactory implements ProcessorFactory {
    @Override
    public String name() {
        return "word-count";
    }

    @Override
    public String description() {
        return "Counts the words of a text field";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .required("field", ConfigType.STRING, "The text field to count the words of")
                .optional("into", ConfigType.STRING, "words", "The field the count is written to")
                .build();
    }

    @Override
    public Processor create(PluginContext ctx) {
        String field = ctx.config().getString("field");
        String into = ctx.config().getString("into");
        return Processor.mapping(r -> {
            if (!(r.get(field) instanceof String text)) {
                throw new InvalidRecordException("field '" + field + "' is missing or not text");
            }
            String trimmed = text.strip();
            long words = trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
            return r.toBuilder().set(into, words).build();
        });
    }
}
