package io.dataflare.api.config;

/**
 * One problem with a plugin's configuration.
 *
 * @param field   the option's path under {@code with:}, such as {@code path} or {@code set.total};
 *                empty for the configuration as a whole
 * @param message what is wrong, in words that fit after the field name
 *
 * @since 1.0.0
 */
public record ConfigError(String field, String message) {
    @Override
    public String toString() {
        return field.isEmpty() ? message : "'" + field + "' " + message;
    }
}
