package io.dataflare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.engine.host.PluginHost;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the CLI names so that the JVM does not search every JAR of the class path for it: each name must be what
 * the search would have found, or the CLI would run without a plugin host, or with another logging setup.
 */
class StartupLookupsTest {
    @BeforeAll
    static void cliLoaded() throws ClassNotFoundException {
        Class.forName(Main.class.getName()); // its static set-up, as when the command starts
    }

    @Test
    void theNamedPluginHostsAreExactlyTheRegisteredOnes() {
        assertThat(ServiceLoader.load(PluginHost.class).stream()
                        .map(p -> p.type().getName()))
                .containsExactlyInAnyOrderElementsOf(Main.BUNDLED_HOSTS);
        assertThat(System.getProperty("dataflare.plugin.hosts")).isEqualTo(String.join(",", Main.BUNDLED_HOSTS));
    }

    @Test
    void theNamedLoggingBackendIsTheOneOnTheClassPath() throws Exception {
        assertThat(System.getProperty("slf4j.provider")).isEqualTo("org.slf4j.simple.SimpleServiceProvider");
        List<String> registered = new ArrayList<>();
        ClassLoader loader = Main.class.getClassLoader();
        for (URL file : Collections.list(loader.getResources("META-INF/services/org.slf4j.spi.SLF4JServiceProvider"))) {
            try (InputStream in = file.openStream()) {
                new String(in.readAllBytes(), StandardCharsets.UTF_8)
                        .lines()
                        .map(String::strip)
                        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                        .forEach(registered::add);
            }
        }
        assertThat(registered).containsExactly(System.getProperty("slf4j.provider"));
    }

    @Test
    void theLoggerSettingsAreFoundInTheCliItself() {
        URL settings = Main.class.getClassLoader().getResource("simplelogger.properties");
        URL cli = Main.class.getProtectionDomain().getCodeSource().getLocation();

        assertThat(settings).isNotNull();
        assertThat(settings.toString()).contains(cli.getPath());
    }
}
