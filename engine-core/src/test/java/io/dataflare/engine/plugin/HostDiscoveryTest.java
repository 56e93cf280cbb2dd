package io.dataflare.engine.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.engine.host.PluginHost;
import io.dataflare.engine.host.java.JavaPluginHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HostDiscoveryTest {
    private final ClassLoader loader = HostDiscoveryTest.class.getClassLoader();

    @AfterEach
    void clear() {
        System.clearProperty(HostDiscovery.PROPERTY);
    }

    @Test
    void withoutThePropertyTheRegisteredHostsAreFound() {
        assertThat(HostDiscovery.hosts(loader)).extracting(PluginHost::language).contains("java");
    }

    @Test
    void namedHostsAreTheOnesPresentInTheirOrder() {
        System.setProperty(
                HostDiscovery.PROPERTY, " io.dataflare.no.such.WasmHost , " + JavaPluginHost.class.getName() + ",");

        assertThat(HostDiscovery.hosts(loader)).singleElement().isInstanceOf(JavaPluginHost.class);
    }

    @Test
    void aNamedClassThatIsNoHostIsAnErrorNamingIt() {
        System.setProperty(HostDiscovery.PROPERTY, "java.lang.String");

        assertThatThrownBy(() -> HostDiscovery.hosts(loader))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dataflare.plugin.hosts names java.lang.String, which is not a PluginHost");
    }

    @Test
    void theRegistryBuilderUsesTheNamedHosts() {
        System.setProperty(HostDiscovery.PROPERTY, JavaPluginHost.class.getName());

        try (PluginRegistry registry = PluginRegistry.builder().discoverHosts().build()) {
            assertThat(registry.hosts()).extracting(PluginHost::language).containsExactly("java");
        }
    }
}
