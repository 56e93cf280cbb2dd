package io.dataflare.support.template;

import io.dataflare.api.data.Record;
import java.util.ArrayList;
import java.util.List;

/**
 * Text with optional {@code {field}} placeholders, such as {@code out/{country}.csv} or {@code orders-{country}}:
 * parsed once, expanded per record. Each placeholder takes the record's value of that field, turned into text by
 * the {@link ValueEncoder} of the use (percent-encoding for a URL, a file-name check for a path...).
 */
public final class FieldTemplate {
    /** Turns a placeholder's value into the text that replaces it, or refuses it. */
    @FunctionalInterface
    public interface ValueEncoder {
        /**
         * The text for {@code value} (never null) of {@code field}.
         *
         * @throws TemplateRejection when the value cannot stand in this template
         */
        String encode(String field, Object value);
    }

    private final String text;
    private final String noun;
    private final String[] literals;
    private final String[] fields;

    private FieldTemplate(String text, String noun, String[] literals, String[] fields) {
        this.text = text;
        this.noun = noun;
        this.literals = literals;
        this.fields = fields;
    }

    /**
     * Parses {@code text}; {@code noun} ({@code "path"}, {@code "url"}, or empty) names the template in the
     * message of a record that lacks a field: {@code field 'id' is missing or null; url https://x/{id} needs it}.
     *
     * @throws IllegalArgumentException for an unopened, unclosed, empty or nested placeholder, naming its position
     *     (1-based) as in {@code has a '{' without '}' at position 5}; the caller prefixes the option
     */
    public static FieldTemplate parse(String text, String noun) {
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
        return new FieldTemplate(text, noun, lits.toArray(new String[0]), names.toArray(new String[0]));
    }

    /** Whether the text has no placeholder (every record gets the same text). */
    public boolean isConstant() {
        return fields.length == 0;
    }

    /** The text before the first placeholder (all of it for a constant template). */
    public String prefix() {
        return literals[0];
    }

    /** The text after the last placeholder (all of it for a constant template). */
    public String suffix() {
        return literals[literals.length - 1];
    }

    /** The names of the placeholders' fields, in order. */
    public List<String> fields() {
        return List.of(fields);
    }

    /** The text with every placeholder replaced by {@code x}, to check its form before any record. */
    public String sample() {
        StringBuilder sb = new StringBuilder(literals[0]);
        for (int i = 0; i < fields.length; i++) sb.append('x').append(literals[i + 1]);
        return sb.toString();
    }

    /**
     * The text for {@code r} (which may be null for a constant template). A constant template returns the same
     * string instance every time, so callers can compare consecutive results by identity first.
     *
     * @throws TemplateRejection when a placeholder's field is missing or null, or {@code encoder} refuses its value
     */
    public String expand(Record r, ValueEncoder encoder) {
        if (fields.length == 0) return literals[0];
        StringBuilder sb = new StringBuilder(text.length() + 16).append(literals[0]);
        for (int i = 0; i < fields.length; i++) {
            Object v = r.get(fields[i]);
            if (v == null) {
                throw new TemplateRejection("field '" + fields[i] + "' is missing or null; "
                        + (noun.isEmpty() ? "" : noun + " ") + text + " needs it");
            }
            sb.append(encoder.encode(fields[i], v)).append(literals[i + 1]);
        }
        return sb.toString();
    }

    /** The text as configured. */
    @Override
    public String toString() {
        return text;
    }
}
