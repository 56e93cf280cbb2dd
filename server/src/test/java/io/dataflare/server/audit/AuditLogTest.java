package io.dataflare.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hash-chained audit log: appends, a changed byte detected, rotation keeping the chain, concurrency, restarts. */
class AuditLogTest {
    @TempDir
    Path dir;

    private static AuditEvent event(int i) {
        return new AuditEvent(
                Instant.now(), "admin", "POST /api/tasks", "/api/tasks?id=t" + i, "ok", 201, "r" + i, null);
    }

    private Path file() {
        return dir.resolve("audit.log");
    }

    @Test
    void aWrittenLogVerifiesAndOneChangedByteOfAnEarlierLineIsNamed() throws Exception {
        try (AuditLog log = AuditLog.open(file(), AuditLog.DEFAULT_MAX_BYTES)) {
            for (int i = 0; i < 5; i++) log.append(event(i));
        }
        List<String> lines = Files.readAllLines(file());
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).endsWith("\"prev\":\"" + AuditChain.GENESIS + "\"}");
        assertThat(lines.get(1)).contains("\"prev\":\"" + AuditChain.hash(lines.get(0)) + "\"");
        assertThat(AuditVerifier.verify(List.of(file())).intact()).isTrue();

        byte[] b = Files.readAllBytes(file());
        int at = lines.get(0).length() + 1 + lines.get(1).indexOf("t1"); // in line 2: t1 -> u1
        b[at] = 'u';
        Files.write(file(), b);
        AuditVerifier.Result r = AuditVerifier.verify(List.of(file()));
        assertThat(r.intact()).isFalse();
        assertThat(r.file()).isEqualTo(file());
        assertThat(r.line()).isEqualTo(2);
        assertThat(r.reason()).startsWith("changed: line 3 carries another hash of it");
    }

    @Test
    void aRemovedLineBreaksTheChain() throws Exception {
        try (AuditLog log = AuditLog.open(file(), AuditLog.DEFAULT_MAX_BYTES)) {
            for (int i = 0; i < 4; i++) log.append(event(i));
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(file()));
        lines.remove(2);
        Files.write(file(), lines);
        AuditVerifier.Result r = AuditVerifier.verify(List.of(file()));
        assertThat(r.intact()).isFalse();
        assertThat(r.line()).isEqualTo(2);
    }

    @Test
    void rotationKeepsTheChainAcrossFiles() throws Exception {
        try (AuditLog log = AuditLog.open(file(), 1000)) {
            for (int i = 0; i < 30; i++) log.append(event(i));
            assertThat(log.files()).hasSizeGreaterThan(3);
            List<Path> files = log.files();
            assertThat(files.get(0).getFileName().toString()).isEqualTo("audit.log.1");
            assertThat(files.get(files.size() - 1)).isEqualTo(file());
            for (Path f : files) assertThat(Files.size(f)).isLessThanOrEqualTo(1000);
            // the current file starts with a rotation line carrying the last hash of the file before it
            List<String> previous = Files.readAllLines(files.get(files.size() - 2));
            String first = Files.readAllLines(file()).get(0);
            assertThat(first)
                    .contains("\"what\":\"audit.rotated\"")
                    .contains("\"target\":\"" + files.get(files.size() - 2).getFileName() + "\"")
                    .contains("\"prev\":\"" + AuditChain.hash(previous.get(previous.size() - 1)) + "\"");
            assertThat(AuditVerifier.verify(files).intact()).isTrue();
            // every event is there once, in order, across the files
            assertThat(log.query(e -> e.what().startsWith("POST"), 1000))
                    .extracting(AuditEvent::requestId)
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 30)
                            .mapToObj(i -> "r" + i)
                            .toList());
            // a file left out breaks the link
            List<Path> gap = new ArrayList<>(files);
            gap.remove(1);
            AuditVerifier.Result r = AuditVerifier.verify(gap);
            assertThat(r.intact()).isFalse();
            assertThat(r.file()).isEqualTo(gap.get(1));
            assertThat(r.line()).isEqualTo(1);
            assertThat(r.reason()).startsWith("does not continue audit.log.1");
        }
    }

    @Test
    void aReopenedLogContinuesTheChainAndAPartialLastLineIsCutOff() throws Exception {
        try (AuditLog log = AuditLog.open(file(), AuditLog.DEFAULT_MAX_BYTES)) {
            log.append(event(0));
            log.append(event(1));
        }
        Files.write(
                file(), "{\"time\":\"2026-".getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
        try (AuditLog log = AuditLog.open(file(), AuditLog.DEFAULT_MAX_BYTES)) {
            log.append(event(2));
        }
        assertThat(Files.readAllLines(file())).hasSize(3);
        assertThat(AuditVerifier.verify(List.of(file())).intact()).isTrue();
    }

    @Test
    void concurrentAppendsKeepOneLinearChain() throws Exception {
        try (AuditLog log = AuditLog.open(file(), 20_000)) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            for (int i = 0; i < 800; i++) {
                int n = i;
                pool.submit(() -> log.append(event(n)));
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            List<Path> files = log.files();
            assertThat(AuditVerifier.verify(files).intact()).isTrue();
            assertThat(log.query(e -> e.what().startsWith("POST"), 10_000)).hasSize(800);
        }
    }
}
