package io.dataflare.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class HostNameTest {
    @Test
    void isTheNameTheJdkGivesThisHost() {
        String jdk;
        try {
            jdk = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            assumeTrue(false, "this host's name does not resolve: the JDK cannot say it");
            return;
        }
        assertThat(HostName.local()).isEqualTo(jdk).isNotBlank();
    }
}
