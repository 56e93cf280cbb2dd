package io.dataflare.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.engine.testing.InProcessPlugins;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
    @TempDir
    Path dir;

    @Test
    void pushAndRead() throws Exception {
        try (TestServer s = new TestServer(new InProcessPlugins(), dir)) {
            assertThat(s.get("/health").status()).isEqualTo(200);
            s.create("t1", """
                    sources: { in: { use: push } }
                    sinks: { out: { use: memory, from: in } }
                    runtime: { max_wait_ms: 10 }
                    """);
            System.out.println(s.post("/api/tasks/t1/start").body());
            System.out.println(s.post("/api/tasks/t1/records", "application/json", "[{\"a\":1},{\"a\":2}]").body());
            Thread.sleep(500);
            System.out.println(s.get("/api/tasks/t1/output").body());
            System.out.println(s.get("/api/tasks/t1").body());
            System.out.println(s.post("/api/tasks/t1/stop").body());
        }
    }
}
