package io.dataflare.api.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A plugin configuration is invalid. Carries every {@link ConfigError} found, each naming its field,
 * so that the engine can point at the line of the pipeline file.
 *
 * @since 1.0.0
 */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigError> errors;

    /** One error on {@code field}. */
    public ConfigException(String field, String message) {
        this(List.of(new ConfigError(field, message)));
    }

    /** Several errors. */
    public ConfigException(List<ConfigError> errors) {
        super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    /** The errors, at least one. */
    public List<ConfigError> errors() {
        return errors;
    }
}
