package io.dataflare.plugins.http;

import io.dataflare.api.data.Record;
import io.dataflare.support.template.FieldTemplate;
import io.dataflare.support.template.ValueEncoders;

/**
 * A URL with optional {@code {field}} placeholders, such as {@code https://api.example.com/users/{id}/events}.
 * A placeholder takes the record's value of that field, percent-encoded (a {@code /} or {@code ?} in a value
 * cannot change the URL's structure).
 */
final class UrlTemplate {
    private final FieldTemplate template;
    private final FieldTemplate.ValueEncoder encoder;

    private UrlTemplate(FieldTemplate template) {
        this.template = template;
        this.encoder = ValueEncoders.percentEncoded(template.toString());
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException for an unclosed, unopened or empty placeholder
     */
    static UrlTemplate parse(String text) {
        return new UrlTemplate(FieldTemplate.parse(text, "url"));
    }

    boolean isConstant() {
        return template.isConstant();
    }

    /** The URL with every placeholder replaced by {@code x}, to check its form before any record. */
    String sample() {
        return template.sample();
    }

    /**
     * The URL for {@code r}.
     *
     * @throws IllegalArgumentException when a placeholder's field is missing, null, a list or a map
     */
    String expand(Record r) {
        return template.expand(r, encoder);
    }

    @Override
    public String toString() {
        return template.toString();
    }
}
