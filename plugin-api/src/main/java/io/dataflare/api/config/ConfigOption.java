package io.dataflare.api.config;

import java.util.List;
import java.util.Objects;

/**
 * One declared option of a plugin.
 *
 * @param name          the key under the stage's {@code with:}
 * @param type          its type
 * @param required      whether the pipeline must set it
 * @param defaultValue  the value used when it is not set (null for none)
 * @param description   one line for {@code plugins info} and error messages
 * @param allowedValues the only values accepted, or empty for any
 *
 * @since 1.0.0
 */
public record ConfigOption(
        String name,
        ConfigType type,
        boolean required,
        Object defaultValue,
        String description,
        List<String> allowedValues) {
    public ConfigOption {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        description = description == null ? "" : description;
        allowedValues = allowedValues == null ? List.of() : List.copyOf(allowedValues);
        if (required && defaultValue != null) {
            throw new IllegalArgumentException("option '" + name + "' cannot be required and have a default");
        }
    }
}
