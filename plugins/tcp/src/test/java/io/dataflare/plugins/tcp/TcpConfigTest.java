package io.dataflare.plugins.tcp;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.PluginFactory;
import io.dataflare.api.config.ConfigException;
import io.dataflare.tck.SimplePluginContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad options are refused before the run, naming the option and the value. */
class TcpConfigTest {
    private static void refused(PluginFactory<?> f, Map<String, ?> with, String... messages) {
        var thrown =
                assertThatThrownBy(() -> SimplePluginContext.of(f, with, null)).isInstanceOf(ConfigException.class);
        for (String m : messages) thrown.hasMessageContaining(m);
    }

    @Test
    void sourceAddressesMustBeHostAndPort() {
        TcpSourceFactory f = new TcpSourceFactory();
        refused(f, Map.of("listen", "localhost"), "listen", "must be HOST:PORT, got \"localhost\"");
        refused(f, Map.of("listen", "0.0.0.0:70000"), "listen", "from 0 to 65535, got \"0.0.0.0:70000\"");
        refused(f, Map.of("listen", "::1:9000"), "listen", "IPv6 host goes in brackets");
        refused(f, Map.of("connect", "db:0"), "connect", "from 1 to 65535, got \"db:0\"");
        refused(f, Map.of(), "listen", "is required (or 'connect')");
        refused(f, Map.of("listen", ":1", "connect", "a:1"), "connect", "cannot be set with 'listen'");
        refused(f, Map.of("listen", "a:1", "format", "xml"), "format", "must be one of csv, jsonl");
        refused(f, Map.of("listen", "a:1", "queue_records", 0), "queue_records", "at least 1, got 0");
    }

    @Test
    void sinkOptionsAreChecked() {
        TcpSinkFactory f = new TcpSinkFactory();
        refused(f, Map.of(), "connect", "is required");
        refused(f, Map.of("connect", "host:port"), "connect", "port must be a number", "\"host:port\"");
        refused(f, Map.of("connect", "h:1", "reconnect_attempts", 0), "reconnect_attempts", "at least 1, got 0");
        refused(f, Map.of("connect", "h:1", "reconnect_max_ms", -1), "reconnect_max_ms", "at least 0, got -1");
    }
}
