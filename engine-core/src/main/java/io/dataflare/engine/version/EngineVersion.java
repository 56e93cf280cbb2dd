package io.dataflare.engine.version;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The engine's version: what plugins' {@code requires:} ranges are checked against. */
public final class EngineVersion {
    private static final Properties PROPS = load();

    private EngineVersion() {}

    /** The engine version as semver, e.g. {@code 1.0.0}. */
    public static String current() {
        return PROPS.getProperty("version", "0.0.0");
    }

    /** The build's Maven version, e.g. {@code 1.1.0-SNAPSHOT}. */
    public static String build() {
        return PROPS.getProperty("build", current());
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = EngineVersion.class.getResourceAsStream("version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
