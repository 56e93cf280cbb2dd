package io.dataflare.engine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStateStoreTest extends StateStoreContract {
    @TempDir
    Path dir;

    @Override
    StateStore store() {
        return new FileStateStore(dir.resolve("state"));
    }

    @Override
    String url(StateStore store) {
        return "file:" + ((FileStateStore) store).directory();
    }

    @Override
    StateStore reopen(StateStore store) {
        return new FileStateStore(((FileStateStore) store).directory());
    }

    @Test
    void aHalfWrittenTemporaryFileFromACrashIsIgnored() throws Exception {
        FileStateStore s = new FileStateStore(dir.resolve("crash"));
        s.put("checkpoints", "p", "{\"id\":1}");
        // what a kill between write and rename leaves behind
        Files.writeString(dir.resolve("crash/checkpoints/p.v.tmp-1234"), "{\"id\":2, \"trunc");
        FileStateStore after = new FileStateStore(dir.resolve("crash"));
        assertThat(after.get("checkpoints", "p")).contains("{\"id\":1}");
        assertThat(after.list("checkpoints")).containsOnlyKeys("p");
    }

    @Test
    void keysAreEncodedIntoSafeFileNames() {
        assertThat(FileStateStore.encode("../etc/passwd")).isEqualTo("%2E%2E%2Fetc%2Fpasswd");
        assertThat(FileStateStore.decode(FileStateStore.encode("a b/ü..x"))).isEqualTo("a b/ü..x");
    }

    @Test
    void aValueFileOfAStoreWithoutVersionsReadsAsVersionOne() throws Exception {
        Path legacy = dir.resolve("legacy");
        Files.createDirectories(legacy.resolve("checkpoints"));
        Files.writeString(legacy.resolve("checkpoints/orders.v"), "{\"id\":7}");
        FileStateStore s = new FileStateStore(legacy);
        assertThat(s.getVersioned("checkpoints", "orders")).contains(new Versioned("{\"id\":7}", 1));
        assertThat(s.list("checkpoints")).containsExactly(java.util.Map.entry("orders", "{\"id\":7}"));
        s.transaction()
                .expectVersion("checkpoints", "orders", 1)
                .put("checkpoints", "orders", "{\"id\":8}")
                .commit();
        assertThat(s.getVersioned("checkpoints", "orders")).contains(new Versioned("{\"id\":8}", 2));
    }

    @Test
    void aTornRecordAtTheEndOfALogIsIgnoredAndCutOffByTheNextAppend() throws Exception {
        FileStateStore s = new FileStateStore(dir.resolve("torn"));
        s.append("history", "e", "one");
        s.append("history", "e", "two");
        Path segment;
        try (Stream<Path> files = Files.list(dir.resolve("torn/history/e.log"))) {
            segment =
                    files.filter(f -> f.toString().endsWith(".seg")).findFirst().orElseThrow();
        }
        // what a crash in the middle of an append leaves: a frame header and part of its record
        Files.write(
                segment,
                new byte[] {0, 0, 0, 40, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 3, 'p', 'a'},
                StandardOpenOption.APPEND);
        FileStateStore after = new FileStateStore(dir.resolve("torn"));
        assertThat(after.lastSequence("history", "e")).isEqualTo(2);
        assertThat(after.read("history", "e", 1, 10))
                .extracting(LogRecord::data)
                .containsExactly("one", "two");
        assertThat(after.append("history", "e", "three")).isEqualTo(3);
        assertThat(new FileStateStore(dir.resolve("torn")).read("history", "e", 1, 10))
                .extracting(LogRecord::data)
                .containsExactly("one", "two", "three");
    }

    @Test
    void aDamagedPendingTransactionIsAnErrorNamingItsFile() throws Exception {
        Path store = dir.resolve("damaged");
        new FileStateStore(store).put("ns", "k", "v");
        Files.writeString(store.resolve(".txn/redo"), "not a transaction at all");
        assertThatThrownBy(() -> new FileStateStore(store))
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining(store.resolve(".txn/redo").toString())
                .hasMessageContaining("damaged");
    }

    @Test
    void aTransactionHaltedWhileItsRedoFileIsWrittenLeavesNothing() throws Exception {
        Path store = dir.resolve("halt-redo");
        Process p = writer(store, 5, "-Ddataflare.fault.halt-during-transaction=redo:3");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as("halted writing the redo file of transaction 3")
                .isEqualTo(137);
        try (Stream<Path> txn = Files.list(store.resolve(".txn"))) {
            assertThat(txn.map(f -> f.getFileName().toString())).anyMatch(n -> n.startsWith("redo.tmp-"));
        }
        FileStateStore after = new FileStateStore(store);
        assertHolds(after, 2);
        try (Stream<Path> txn = Files.list(store.resolve(".txn"))) {
            assertThat(txn.map(f -> f.getFileName().toString())).containsExactly("lock");
        }
    }

    @Test
    void aTransactionHaltedHalfAppliedIsCompletedWhenTheStoreOpens() throws Exception {
        Path store = dir.resolve("halt-apply");
        Process p = writer(store, 5, "-Ddataflare.fault.halt-during-transaction=apply:3");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("halted applying transaction 3").isEqualTo(137);
        assertThat(store.resolve(".txn/redo")).as("committed, not applied").exists();
        // half of it is on disk: the first write (wf/a) is there, the second (wf/b) is not
        assertThat(Files.readAllBytes(store.resolve("wf/a.v")))
                .hasSize(10 + TransactionWriter.value(3).length());
        assertThat(new String(Files.readAllBytes(store.resolve("wf/b.v")), StandardCharsets.UTF_8))
                .contains(TransactionWriter.value(2));
        FileStateStore after = new FileStateStore(store);
        assertThat(store.resolve(".txn/redo")).doesNotExist();
        assertHolds(after, 3);
        after.transaction().expectVersion("wf", "a", 3).put("wf", "a", "next").commit();
    }

    @Test
    void killedAtRandomMomentsAStoreHoldsWholeTransactionsOnly() throws Exception {
        Path store = dir.resolve("killed");
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        long reported = 0;
        int killedWhileRunning = 0;
        for (int round = 0; round < 6; round++) {
            // stdout to a file, not a pipe: what the killed process wrote is all there, nothing raced away
            Path out = dir.resolve("writer-" + round + ".out");
            Process p = writer(store, Long.MAX_VALUE, out);
            Thread.sleep(600 + random.nextInt(1200));
            if (p.isAlive()) killedWhileRunning++;
            p.destroyForcibly(); // SIGKILL
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            List<String> lines = Files.readAllLines(out);
            if (!lines.isEmpty()) reported = Long.parseLong(lines.getLast());
            FileStateStore after = new FileStateStore(store);
            long n = TransactionWriter.committed(after);
            assertThat(n)
                    .as(
                            "seed %d, round %d: every transaction reported committed is there, at most one more",
                            seed, round)
                    .isBetween(reported, reported + 1);
            assertHolds(after, n);
        }
        assertThat(killedWhileRunning)
                .as("seed %d: the writer was running when killed", seed)
                .isEqualTo(6);
        assertThat(reported).as("seed %d: transactions were committed", seed).isGreaterThan(5);
    }

    @Test
    void writersInTwoProcessesTakeTurns() throws Exception {
        Path store = dir.resolve("two-processes");
        new FileStateStore(store);
        List<Process> appenders = new ArrayList<>();
        for (String name : List.of("p1", "p2")) {
            appenders.add(child(
                    List.of(LogAppender.class.getName(), store.toString(), name, "150"), dir.resolve(name + ".out")));
        }
        for (Process p : appenders) {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        }
        FileStateStore s = new FileStateStore(store);
        List<LogRecord> log = s.read("history", "shared", 1, 1000);
        assertThat(log)
                .extracting(LogRecord::sequence)
                .containsExactlyElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, 300).boxed().toList());
        for (String name : List.of("p1", "p2")) {
            assertThat(log)
                    .extracting(LogRecord::data)
                    .filteredOn(d -> d.startsWith(name + ":"))
                    .as("each process's records once, in its order")
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 150)
                            .mapToObj(i -> name + ":" + i)
                            .toList());
            assertThat(s.getVersioned("counters", name)).contains(new Versioned("150", 150));
        }
    }

    /** The store holds exactly the first {@code n} transactions of {@link TransactionWriter}. */
    private static void assertHolds(StateStore s, long n) {
        for (String key : List.of("wf/a", "wf/b", "timers/c")) {
            String[] k = key.split("/");
            if (n == 0) assertThat(s.getVersioned(k[0], k[1])).as(key).isEmpty();
            else assertThat(s.getVersioned(k[0], k[1])).as(key).contains(new Versioned(TransactionWriter.value(n), n));
        }
        assertThat(s.list("wf").keySet())
                .as("the gone-n keys")
                .filteredOn(k -> k.startsWith("gone-"))
                .containsExactlyElementsOf(n == 0 ? List.of() : List.of("gone-" + n));
        assertThat(s.lastSequence("history", "run")).isEqualTo(2 * n);
        List<LogRecord> log = s.read("history", "run", 1, Integer.MAX_VALUE);
        assertThat(log).hasSize((int) (2 * n));
        for (int i = 0; i < log.size(); i++) {
            assertThat(log.get(i)).isEqualTo(new LogRecord(i + 1, (i / 2 + 1) + ":" + (i % 2 + 1)));
        }
    }

    private Process writer(Path store, long limit, String... jvmOptions) throws Exception {
        return writer(store, limit, dir.resolve("writer.out"), jvmOptions);
    }

    private static Process writer(Path store, long limit, Path out, String... jvmOptions) throws Exception {
        List<String> args = new ArrayList<>(List.of(jvmOptions));
        args.addAll(List.of(TransactionWriter.class.getName(), store.toString(), Long.toString(limit)));
        return child(args, out);
    }

    /** A JVM on this test's class path: {@code java [JVM options] MAIN-CLASS ARGS...}, stdout to {@code out}. */
    private static Process child(List<String> args, Path out) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path")));
        command.addAll(args);
        return new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }
}
