package io.dataflare.plugins.kafka;

import io.dataflare.api.data.Record;
import io.dataflare.support.template.FieldTemplate;
import io.dataflare.support.template.TemplateRejection;
import io.dataflare.support.template.ValueEncoders;
import java.util.regex.Pattern;

/**
 * A topic or header value with optional {@code {field}} placeholders, such as the topic {@code orders-{country}}:
 * each placeholder takes the record's value of that field. A topic must give a legal Kafka topic name.
 */
final class KafkaTemplate {
    // what Kafka accepts as a topic name
    private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final FieldTemplate.ValueEncoder AS_IS = ValueEncoders.plain();

    private final FieldTemplate template;
    private final boolean topic;

    private KafkaTemplate(FieldTemplate template, boolean topic) {
        this.template = template;
        this.topic = topic;
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException for an unclosed or empty placeholder, or (a topic) characters Kafka
     *     refuses
     */
    static KafkaTemplate parse(String text, boolean topic) {
        FieldTemplate t = FieldTemplate.parse(text, topic ? "topic" : "");
        if (topic && !LEGAL.matcher(t.sample()).matches()) {
            throw new IllegalArgumentException("is not a Kafka topic name (letters, digits, '.', '_', '-')");
        }
        return new KafkaTemplate(t, topic);
    }

    /**
     * The text for {@code r}.
     *
     * @throws IllegalArgumentException when a placeholder's field is missing or null, or a topic name is illegal
     */
    String expand(Record r) {
        String out = template.expand(r, AS_IS);
        // Checked on the whole name: values are free, only their sum must be a topic name.
        if (topic && !template.isConstant() && !LEGAL.matcher(out).matches()) {
            throw new TemplateRejection("topic " + template + " gives \"" + out + "\", not a Kafka topic name");
        }
        return out;
    }
}
