package io.dataflare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.server.audit.AuditEvent;
import io.dataflare.server.audit.AuditLog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dataflare audit verify}: exit 0 on an intact chain, 1 naming the first broken line, 2 for a missing file. */
class AuditVerifyCommandTest {
    @TempDir
    Path dir;

    private String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new String[] {Integer.toString(exit), out.toString(), err.toString()};
    }

    @Test
    void exitCodesAndTheBrokenLine() throws Exception {
        Path file = dir.resolve("audit.log");
        try (AuditLog log = AuditLog.open(file, AuditLog.DEFAULT_MAX_BYTES)) {
            for (int i = 0; i < 4; i++)
                log.append(new AuditEvent(
                        Instant.now(), "admin", "DELETE /api/tasks/{id}", "/api/tasks/t" + i, "ok", 204, null, null));
        }
        String[] ok = run("audit", "verify", file.toString());
        assertThat(ok[0]).isEqualTo("0");
        assertThat(ok[1]).isEqualTo("intact: 4 line(s) in 1 file(s)\n");

        List<String> lines = Files.readAllLines(file);
        lines.set(2, lines.get(2).replace("/api/tasks/t2", "/api/tasks/t9"));
        Files.write(file, lines);
        String[] broken = run("audit", "verify", file.toString());
        assertThat(broken[0]).isEqualTo("1");
        assertThat(broken[1]).startsWith(file + ":3: broken chain: changed: line 4 carries another hash of it");

        String[] missing = run("audit", "verify", dir.resolve("nope.log").toString());
        assertThat(missing[0]).isEqualTo("2");
        assertThat(missing[2]).contains("nope.log is not a file");
    }
}
