package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log of {@code dataflare serve} from the packaged distribution: the client's mutating calls and a
 * failed authentication land in a hash chain (rotated into several files) that {@code dataflare audit verify}
 * passes, and fails naming the line after one byte of an earlier line is changed.
 */
class AuditIT {
    private static final String TOKEN = "audit-it-token-0123456789";

    @TempDir
    Path dir;

    @AfterEach
    void clearClientConfig() {
        System.clearProperty("dataflare.client.config");
    }

    @Test
    void aRealServersAuditLogVerifiesAndATamperedLineIsNamed() throws Exception {
        Path config = Files.writeString(dir.resolve("server.yaml"), "server:\n  audit_max_bytes: 4096\n");
        Path feed = Files.writeString(dir.resolve("feed.yaml"), """
                sources: { in: { use: push } }
                sinks: { out: { use: memory, from: in } }
                """);
        Path csv = Files.writeString(dir.resolve("orders.csv"), "id,amount\n1,5\n2,25\n");
        Process server = Distribution.startServer(dir, "1", config, TOKEN, "512m");
        try {
            String url = Distribution.serverUrl(dir, "1");
            System.setProperty(
                    "dataflare.client.config",
                    Files.writeString(dir.resolve("client.yaml"), "server: " + url + "\ntoken: " + TOKEN + "\n")
                            .toString());
            assertThat(Distribution.cli("task", "create", feed.toString(), "--start")
                            .exit())
                    .isZero();
            for (int i = 0; i < 10; i++)
                assertThat(Distribution.cli("task", "push", "feed", csv.toString())
                                .exit())
                        .isZero();
            assertThat(Distribution.cli("task", "stop", "feed").exit()).isZero();
            try (HttpClient http = HttpClient.newHttpClient()) {
                HttpResponse<String> denied = http.send(
                        HttpRequest.newBuilder(URI.create(url + "/api/tasks/feed"))
                                .header("Authorization", "Bearer not-the-token")
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(denied.statusCode()).isEqualTo(401);
            }
        } finally {
            server.destroy(); // SIGTERM: the log is closed (forced to disk)
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }

        Path state = dir.resolve("state");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(state)) {
            s.filter(p -> p.getFileName().toString().matches("audit\\.log\\.\\d+"))
                    .sorted((a, b) -> Integer.compare(number(a), number(b)))
                    .forEach(files::add);
        }
        assertThat(files).as("rotated at 4 KiB").isNotEmpty();
        files.add(state.resolve("audit.log"));
        String all = String.join("", files.stream().map(AuditIT::read).toList());
        assertThat(all)
                .contains("\"what\":\"POST /api/tasks\"")
                .contains("\"what\":\"POST /api/tasks/{id}/records\"")
                .contains("\"what\":\"auth.failed\"")
                .contains("\"what\":\"task.state\"")
                .contains("\"what\":\"audit.rotated\"")
                .doesNotContain(TOKEN)
                .doesNotContain("not-the-token");

        String[] verify = Stream.concat(
                        Stream.of("audit", "verify"), files.stream().map(Path::toString))
                .toArray(String[]::new);
        Distribution.Cli ok = Distribution.cli(verify);
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).startsWith("intact: ");

        // one byte of the second line of the oldest file: "who":"admin" / "system" -> first letter changed
        Path oldest = files.get(0);
        byte[] b = Files.readAllBytes(oldest);
        int secondLine = new String(b, StandardCharsets.UTF_8).indexOf('\n') + 1;
        int at = secondLine
                + new String(b, StandardCharsets.UTF_8).substring(secondLine).indexOf("\"who\":\"")
                + 7;
        b[at] = (byte) (b[at] == 'x' ? 'y' : 'x');
        Files.write(oldest, b);
        Distribution.Cli broken = Distribution.cli(verify);
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(broken.out()).startsWith(oldest + ":2: broken chain: changed");
    }

    private static int number(Path p) {
        String n = p.getFileName().toString();
        return Integer.parseInt(n.substring(n.lastIndexOf('.') + 1));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
