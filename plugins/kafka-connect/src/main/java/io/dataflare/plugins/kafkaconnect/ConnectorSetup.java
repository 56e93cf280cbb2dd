package io.dataflare.plugins.kafkaconnect;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigError;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Connector;

/**
 * What the kafka-connect source and sink share: the options, finding the connector's class in the connector
 * folders, and checking the connector's configuration with the connector's own definitions, each error on
 * {@code config.<name>}.
 */
final class ConnectorSetup<C extends Connector> {
    private static final Pattern CLASS_NAME =
            Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*"
                    + "(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*");

    private final String component;
    private final Class<C> kind;

    ConnectorSetup(String component, Class<C> kind) {
        this.component = component;
        this.kind = kind;
    }

    static ConfigSpec.Builder spec(String kindName) {
        return ConfigSpec.builder()
                .required(
                        "connector_class",
                        ConfigType.STRING,
                        "The Kafka Connect " + kindName + " connector's class, such as "
                                + "org.apache.kafka.connect.file.FileStream"
                                + ("source".equals(kindName) ? "Source" : "Sink")
                                + "Connector")
                .optional(
                        "config",
                        ConfigType.MAP,
                        Map.of(),
                        "The connector's own configuration, as Kafka Connect names it")
                .optional(
                        "plugin_path",
                        ConfigType.ANY,
                        null,
                        "Folder(s) holding a sub-folder of JARs per connector (default: the connect folder of every "
                                + "plugin folder)");
    }

    /** The checks that need no file system: a class name, a flat configuration. */
    void validate(PluginConfig c) {
        List<ConfigError> errors = new ArrayList<>();
        String cls = c.getString("connector_class");
        if (cls != null && !CLASS_NAME.matcher(cls.trim()).matches()) {
            errors.add(new ConfigError("connector_class", component + ": not a Java class name: \"" + cls + "\""));
        }
        Map<String, Object> config = c.getMap("config");
        if (config != null) {
            for (Map.Entry<String, Object> e : config.entrySet()) {
                if (e.getValue() instanceof Map) {
                    errors.add(new ConfigError(
                            "config." + e.getKey(),
                            component + ": a connector option is a string, a number, a boolean or a list, got a map"));
                }
            }
        }
        if (!errors.isEmpty()) throw new ConfigException(errors);
    }

    /**
     * The connector's configuration as the strings a Kafka Connect worker hands a connector: a list as its
     * comma-separated items, and, unless given, the worker's own entries {@code connector.class}, {@code name}
     * (pipeline-stage) and {@code tasks.max} (1), which some connectors read (Debezium finds its services by
     * {@code connector.class}).
     */
    static Map<String, String> connectorConfig(PluginContext ctx) {
        PluginConfig c = ctx.config();
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, Object> config = c.getMap("config");
        if (config != null) {
            for (Map.Entry<String, Object> e : config.entrySet()) {
                Object v = e.getValue();
                if (v == null) continue;
                out.put(
                        e.getKey(),
                        v instanceof List<?> l
                                ? l.stream().map(String::valueOf).collect(Collectors.joining(","))
                                : String.valueOf(v));
            }
        }
        out.putIfAbsent("connector.class", c.getString("connector_class").trim());
        out.putIfAbsent("name", ctx.pipeline() + "-" + ctx.stage());
        out.putIfAbsent("tasks.max", "1");
        return out;
    }

    /** The label errors and logs name the connector by: {@code kafka-connect-source (FileStreamSourceConnector)}. */
    String label(PluginConfig c) {
        String cls = c.getString("connector_class");
        return component + " (" + cls.substring(cls.lastIndexOf('.') + 1) + ")";
    }

    record Located<C>(ConnectorClassLoader loader, Class<? extends C> connectorClass) {}

    /**
     * Finds the connector's class in the connector folders.
     *
     * @throws ConfigException on {@code connector_class}: no folder holds it (listing the folders looked at), or
     *                         it is not a connector of this kind
     */
    Located<C> locate(PluginContext ctx) {
        String cls = ctx.config().getString("connector_class").trim();
        ConnectorClassLoader loader = ConnectorFolders.locate(component, cls, ConnectorFolders.roots(ctx));
        Class<?> c;
        try {
            c = Class.forName(cls, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ConfigException(
                    "connector_class", component + ": cannot load \"" + cls + "\" from " + loader.folder() + ": " + e);
        }
        if (!kind.isAssignableFrom(c)) {
            throw new ConfigException(
                    "connector_class",
                    component + ": \"" + cls + "\" in " + loader.folder() + " is not a " + kind.getSimpleName()
                            + (Connector.class.isAssignableFrom(c) ? "" : " (not a Kafka Connect connector at all)"));
        }
        return new Located<>(loader, c.asSubclass(kind));
    }

    /**
     * Checks the configuration against the connector's own definitions ({@code ConfigDef}: required options,
     * types, allowed values), without starting anything.
     */
    void checkDefinitions(Located<C> located, Map<String, String> config) {
        try {
            Isolation.run(located.loader(), () -> {
                C connector = located.connectorClass().getDeclaredConstructor().newInstance();
                throwErrors(connector.config().validate(config));
            });
        } catch (ConfigException e) {
            throw e;
        } catch (Exception e) {
            throw new ConfigException("connector_class", component + ": cannot check the connector's options: " + e);
        }
    }

    /** Runs the connector's full {@code validate} (which may connect to the system it reads or writes). */
    void validateWithConnector(ClassLoader loader, C connector, Map<String, String> config) throws Exception {
        Config result = Isolation.call(loader, () -> connector.validate(config));
        throwErrors(result.configValues());
    }

    private void throwErrors(List<ConfigValue> values) {
        List<ConfigError> errors = new ArrayList<>();
        for (ConfigValue v : values) {
            for (String m : v.errorMessages()) {
                Object given = v.value();
                errors.add(new ConfigError(
                        "config." + v.name(),
                        component + ": " + m + (given == null ? "" : " (got \"" + given + "\")")));
            }
        }
        if (!errors.isEmpty()) throw new ConfigException(errors);
    }
}
