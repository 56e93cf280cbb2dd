package io.dataflare.engine.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GrantsTest {
    @Test
    void pluginLocalCapabilitiesAreGrantedByDefaultAndNothingElse() {
        Grants g = Grants.defaults();
        assertThat(g.covers("log")).isTrue();
        assertThat(g.covers("state")).isTrue();
        assertThat(g.missing(List.of("log", "wasi", "http:*", "file:read:data/*.csv", "env:HOME")))
                .containsExactly("wasi", "http:*", "file:read:data/*.csv", "env:HOME");
        assertThat(g.allowsHttp("127.0.0.1")).isFalse();
        assertThat(g.allowsFileRead("data/a.csv")).isFalse();
    }

    @Test
    void anHttpGrantBoundsTheHostsReached() {
        Grants g = Grants.of(List.of("http:127.0.0.1", "http:*.example.com"));
        assertThat(g.covers("http:*")).isTrue(); // requested in the family: the grant bounds it
        assertThat(g.allowsHttp("127.0.0.1")).isTrue();
        assertThat(g.allowsHttp("api.example.com")).isTrue();
        assertThat(g.allowsHttp("example.com")).isFalse();
        assertThat(g.allowsHttp("10.0.0.1")).isFalse();
    }

    @Test
    void fileGrantsMatchPathsUnderThePipelineFolderOnly() {
        Grants g = Grants.of(List.of("file:read:data/*.csv"));
        assertThat(g.allowsFileRead("data/a.csv")).isTrue();
        assertThat(g.allowsFileRead("data/sub/a.csv")).isFalse();
        assertThat(g.allowsFileRead("data/../secret.csv")).isFalse();
        assertThat(g.allowsFileRead("../data/a.csv")).isFalse();
        assertThat(g.allowsFileRead("/etc/passwd")).isFalse();
        assertThat(g.allowsFileWrite("data/a.csv")).isFalse();
    }

    @Test
    void wasiAndEnvAreExactGrants() {
        Grants g = Grants.of(List.of("wasi", "env:TZ"));
        assertThat(g.covers("wasi")).isTrue();
        assertThat(g.covers("wasi:dir:data")).isFalse();
        assertThat(g.allowsEnv("TZ")).isTrue();
        assertThat(g.allowsEnv("HOME")).isFalse();
    }

    @Test
    void anUnknownCapabilityIsRefusedByName() {
        assertThatThrownBy(() -> Grants.of(List.of("http:127.0.0.1", "net")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'net'");
        assertThatThrownBy(() -> Grants.of(List.of("http:"))).hasMessageContaining("'http:'");
    }
}
