package io.dataflare.plugins.kafka;

import io.dataflare.api.data.Record;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** A topic name with optional {@code {field}} placeholders, such as {@code orders-{country}}. */
final class TopicTemplate {
    // what Kafka accepts as a topic name
    private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    private final String text;
    private final String[] literals;
    private final String[] fields;

    private TopicTemplate(String text, String[] literals, String[] fields) {
        this.text = text;
        this.literals = literals;
        this.fields = fields;
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException for an unclosed or empty placeholder, or characters Kafka refuses
     */
    static TopicTemplate parse(String text) {
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
        TopicTemplate t = new TopicTemplate(text, lits.toArray(new String[0]), names.toArray(new String[0]));
        String sample = t.sample();
        if (!LEGAL.matcher(sample).matches()) {
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
     * The topic for {@code r}.
     *
     * @throws IllegalArgumentException when a placeholder's field is missing or null, or the name is illegal
     */
    String expand(Record r) {
        if (fields.length == 0) return literals[0];
        StringBuilder sb = new StringBuilder(text.length() + 16).append(literals[0]);
        for (int i = 0; i < fields.length; i++) {
            Object v = r.get(fields[i]);
            if (v == null) {
                throw new IllegalArgumentException(
                        "field '" + fields[i] + "' is missing or null; topic " + text + " needs it");
            }
            sb.append(v).append(literals[i + 1]);
        }
        String topic = sb.toString();
        if (!LEGAL.matcher(topic).matches()) {
            throw new IllegalArgumentException("topic " + text + " gives \"" + topic + "\", not a Kafka topic name");
        }
        return topic;
    }
}
