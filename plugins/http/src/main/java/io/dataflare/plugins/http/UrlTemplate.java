package io.dataflare.plugins.http;

import io.dataflare.api.data.Record;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A URL with optional {@code {field}} placeholders, such as {@code https://api.example.com/users/{id}/events}.
 * A placeholder takes the record's value of that field, percent-encoded (a {@code /} or {@code ?} in a value
 * cannot change the URL's structure).
 */
final class UrlTemplate {
    private final String text;
    private final String[] literals;
    private final String[] fields;

    private UrlTemplate(String text, String[] literals, String[] fields) {
        this.text = text;
        this.literals = literals;
        this.fields = fields;
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException for an unclosed, unopened or empty placeholder
     */
    static UrlTemplate parse(String text) {
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
            String name = text.substring(open + 1, close);
            if (name.isBlank() || name.indexOf('{') >= 0) {
                throw new IllegalArgumentException("has an empty or nested placeholder at position " + (open + 1));
            }
            lits.add(text.substring(i, open));
            names.add(name.trim());
            i = close + 1;
        }
        return new UrlTemplate(text, lits.toArray(new String[0]), names.toArray(new String[0]));
    }

    boolean isConstant() {
        return fields.length == 0;
    }

    /** The URL with every placeholder replaced by {@code x}, to check its form before any record. */
    String sample() {
        StringBuilder sb = new StringBuilder(literals[0]);
        for (int i = 0; i < fields.length; i++) sb.append('x').append(literals[i + 1]);
        return sb.toString();
    }

    /**
     * The URL for {@code r}.
     *
     * @throws IllegalArgumentException when a placeholder's field is missing, null, a list or a map
     */
    String expand(Record r) {
        if (fields.length == 0) return literals[0];
        StringBuilder sb = new StringBuilder(text.length() + 16).append(literals[0]);
        for (int i = 0; i < fields.length; i++) {
            Object v = r.get(fields[i]);
            if (v == null) {
                throw new IllegalArgumentException(
                        "field '" + fields[i] + "' is missing or null; url " + text + " needs it");
            }
            if (v instanceof List || v instanceof Map || v instanceof byte[]) {
                throw new IllegalArgumentException(
                        "field '" + fields[i] + "' is not a single value; url " + text + " needs one");
            }
            String s = v instanceof java.math.BigDecimal d ? d.toPlainString() : v.toString();
            sb.append(URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"))
                    .append(literals[i + 1]);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
