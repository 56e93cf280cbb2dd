package io.dataflare.plugins.kafka;

import io.dataflare.api.data.Record;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Text with optional {@code {field}} placeholders, such as the topic {@code orders-{country}}: each placeholder
 * takes the record's value of that field. With {@code topic} set, the text must give a legal Kafka topic name.
 */
final class FieldTemplate {
    // what Kafka accepts as a topic name
    private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    private final String text;
    private final String[] literals;
    private final String[] fields;
    private final boolean topic;

    private FieldTemplate(String text, String[] literals, String[] fields, boolean topic) {
        this.text = text;
        this.literals = literals;
        this.fields = fields;
        this.topic = topic;
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException for an unclosed or empty placeholder, or (a topic) characters Kafka
     *     refuses
     */
    static FieldTemplate parse(String text, boolean topic) {
        List<String> lits = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int i = 0;
        while (true) {
            int open = text.indexOf('{', i);
            int close = text.indexOf('}', i);
            if (close >= 0 && (open < 0 || close < open)) {
                throw new IllegalArgumentException("has a '}' without '{' at position " + (close + 1));
            }
            if (open < 0) {
                lits.add(text.substring(i));
                break;
            }
            if (close < 0) throw new IllegalArgumentException("has a '{' without '}' at position " + (open + 1));
            String name = text.substring(open + 1, close).trim();
            if (name.isEmpty() || name.indexOf('{') >= 0) {
                throw new IllegalArgumentException("has an empty or nested placeholder at position " + (open + 1));
            }
            lits.add(text.substring(i, open));
            names.add(name);
            i = close + 1;
        }
        FieldTemplate t = new FieldTemplate(text, lits.toArray(new String[0]), names.toArray(new String[0]), topic);
        if (topic && !LEGAL.matcher(t.sample()).matches()) {
            throw new IllegalArgumentException("is not a Kafka topic name (letters, digits, '.', '_', '-')");
        }
        return t;
    }

    private String sample() {
        StringBuilder sb = new StringBuilder(literals[0]);
        for (int i = 0; i < fields.length; i++) sb.append('x').append(literals[i + 1]);
        return sb.toString();
    }

    /**
     * The text for {@code r}.
     *
     * @throws IllegalArgumentException when a placeholder's field is missing or null, or a topic name is illegal
     */
    String expand(Record r) {
        if (fields.length == 0) return literals[0];
        StringBuilder sb = new StringBuilder(text.length() + 16).append(literals[0]);
        for (int i = 0; i < fields.length; i++) {
            Object v = r.get(fields[i]);
            if (v == null) {
                throw new IllegalArgumentException("field '" + fields[i] + "' is missing or null; "
                        + (topic ? "topic " : "") + text + " needs it");
            }
            sb.append(v).append(literals[i + 1]);
        }
        String out = sb.toString();
        if (topic && !LEGAL.matcher(out).matches()) {
            throw new IllegalArgumentException("topic " + text + " gives \"" + out + "\", not a Kafka topic name");
        }
        return out;
    }
}
