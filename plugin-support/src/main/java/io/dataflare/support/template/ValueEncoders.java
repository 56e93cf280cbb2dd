package io.dataflare.support.template;

import io.dataflare.api.data.FieldType;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The {@link FieldTemplate.ValueEncoder}s the built-in plugins use. */
public final class ValueEncoders {
    private ValueEncoders() {}

    /** The value's {@code toString()}, unchanged. */
    public static FieldTemplate.ValueEncoder plain() {
        return (field, value) -> value.toString();
    }

    /**
     * A single value (not a list, map or bytes), percent-encoded for a URL: a {@code /} or {@code ?} in a value
     * cannot change the URL's structure, and a space becomes {@code %20}. Decimals keep their plain digits.
     */
    public static FieldTemplate.ValueEncoder percentEncoded(String templateText) {
        return (field, value) -> {
            if (value instanceof List || value instanceof Map || value instanceof byte[]) {
                throw new TemplateRejection(
                        "field '" + field + "' is not a single value; url " + templateText + " needs one");
            }
            String s = value instanceof BigDecimal d ? d.toPlainString() : value.toString();
            return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
        };
    }

    /**
     * The value as text ({@link FieldType#STRING}), which must be a plain file-name part: not empty, not {@code .}
     * or {@code ..}, without {@code /}, {@code \} or NUL, so that it cannot lead out of {@code directory}.
     */
    public static FieldTemplate.ValueEncoder fileNamePart(String templateText, Object directory) {
        return (field, value) -> {
            String s = value instanceof String str ? str : (String) FieldType.STRING.convert(value);
            if (s.isEmpty()
                    || s.equals(".")
                    || s.equals("..")
                    || s.indexOf('/') >= 0
                    || s.indexOf('\\') >= 0
                    || s.indexOf('\0') >= 0) {
                throw new TemplateRejection("field '" + field + "' value '" + s + "' cannot be part of path "
                        + templateText
                        + ": it must be a plain file name (not empty, '.' or '..', no '/' or '\\') so that the file"
                        + " stays in " + directory);
            }
            return s;
        };
    }
}
