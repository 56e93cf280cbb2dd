package io.dataflare.engine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** What every state store must do; each backend's test extends this. */
abstract class StateStoreContract {
    /** A fresh, empty store. */
    abstract StateStore store();

    /** The same store opened again (for durable backends), or the same instance. */
    abstract StateStore reopen(StateStore store);

    /** How another process opens {@code store} ({@link StateStores#open}), or null when it lives in this process only. */
    String url(StateStore store) {
        return null;
    }

    /**
     * A second store on the same data, as another part of the process would open it ({@link StateStores#open}
     * of its {@link #url}), or the same instance for a store that lives in this instance only.
     */
    StateStore another(StateStore store) {
        String url = url(store);
        return url == null ? store : StateStores.open(url);
    }

    @Test
    void aLockIsExclusiveUntilReleased() {
        StateStore s = store();
        StateLock a = s.lock("orders-1a2b", "run A");
        assertThatThrownBy(() -> s.lock("orders-1a2b", "run B"))
                .isInstanceOf(StateLockedException.class)
                .hasMessageContaining("run A")
                .satisfies(e -> assertThat(((StateLockedException) e).holder()).contains("run A"));
        try (StateLock other = s.lock("another", "run C")) {
            assertThat(other.name()).isEqualTo("another");
        }
        a.close();
        a.close();
        try (StateLock b = s.lock("orders-1a2b", "run B")) {
            assertThat(b.name()).isEqualTo("orders-1a2b");
        }
    }

    @Test
    void aLockHeldByAnotherProcessRefusesUntilThatProcessIsKilled() throws Exception {
        StateStore s = store();
        String url = url(s);
        org.junit.jupiter.api.Assumptions.assumeTrue(url != null, "the store lives in this process only");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process holder = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        LockHolder.class.getName(),
                        url,
                        "orders-1a2b",
                        "pid-of-the-holder")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            var out = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream()));
            assertThat(out.readLine()).isEqualTo("locked");
            assertThatThrownBy(() -> s.lock("orders-1a2b", "me"))
                    .isInstanceOf(StateLockedException.class)
                    .hasMessageContaining("pid-of-the-holder");
        } finally {
            holder.destroyForcibly(); // SIGKILL: no chance to release anything
            holder.waitFor();
        }
        // The OS (or the database, once it notices the dead connection) released the killed process's lock.
        StateLock mine = null;
        for (int i = 0; i < 100 && mine == null; i++) {
            try {
                mine = s.lock("orders-1a2b", "me");
            } catch (StateLockedException e) {
                Thread.sleep(100);
            }
        }
        assertThat(mine).as("the lock of a killed process blocks nobody").isNotNull();
        mine.close();
    }

    @Test
    void putGetDeleteList() {
        StateStore s = store();
        assertThat(s.get("checkpoints", "orders")).isEmpty();
        s.put("checkpoints", "orders", "{\"id\":1}");
        s.put("checkpoints", "orders", "{\"id\":2}");
        s.put("checkpoints", "other pipeline/ü", "x");
        s.put("tasks", "orders", "t");
        assertThat(s.get("checkpoints", "orders")).contains("{\"id\":2}");
        assertThat(s.list("checkpoints"))
                .containsExactly(Map.entry("orders", "{\"id\":2}"), Map.entry("other pipeline/ü", "x"));
        assertThat(s.delete("checkpoints", "orders")).isTrue();
        assertThat(s.delete("checkpoints", "orders")).isFalse();
        assertThat(s.list("checkpoints")).containsOnlyKeys("other pipeline/ü");
        assertThat(s.list("empty")).isEmpty();
    }

    /** A key's encoding as a file name may be 12 times its length: the longest keys must work all the same. */
    @Test
    void theLongestKeysOfAnyCharactersWork() {
        StateStore s = store();
        String wide = "\u6570".repeat(200); // 3 UTF-8 bytes each, encoded as 9 characters
        String ascii = "k".repeat(200);
        String mixed = "a/".repeat(100);
        for (String key : List.of(wide, ascii, mixed)) s.put("long", key, "v-" + key.length());
        s.put("long", "short", "s");
        assertThat(s.get("long", wide)).contains("v-200");
        assertThat(s.list("long")).containsOnlyKeys(wide, ascii, mixed, "short");
        assertThat(s.get("long", "\u6570".repeat(199))).isEmpty();
        s.append("long", wide, "r1");
        s.append("long", wide, "r2");
        assertThat(s.logs("long")).contains(wide);
        assertThat(s.read("long", wide, 1, 10)).extracting(LogRecord::data).containsExactly("r1", "r2");
        try (StateLock lock = s.lock(wide, "me")) {
            assertThat(lock).isNotNull();
        }
        assertThat(s.delete("long", wide)).isTrue();
        assertThat(s.list("long")).containsOnlyKeys(ascii, mixed, "short");
        assertThat(s.namespaces()).contains("long");
        assertThat(reopen(s).list("long")).containsOnlyKeys(ascii, mixed, "short");
    }

    @Test
    void valuesSurviveReopening() {
        StateStore s = store();
        String big = "v".repeat(200_000);
        s.put("tasks", "t1", big);
        StateStore again = reopen(s);
        assertThat(again.get("tasks", "t1")).contains(big);
    }

    @Test
    void rejectsBadNamespacesAndKeys() {
        StateStore s = store();
        assertThatThrownBy(() -> s.put("Bad NS", "k", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.put("ns", "", "v")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentWritersToDifferentKeys() throws Exception {
        StateStore s = store();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) s.put("load", "k" + thread + "-" + i, "v" + i);
                }));
            }
            for (Future<?> f : fs) f.get();
        } finally {
            pool.shutdown();
        }
        assertThat(s.list("load")).hasSize(100).containsEntry("k3-24", "v24");
    }

    // ---- versions ----

    @Test
    void everyPutMakesANewVersionAndADeleteMakesTheKeyAbsent() {
        StateStore s = store();
        assertThat(s.getVersioned("tasks", "t")).isEmpty();
        s.put("tasks", "t", "a");
        assertThat(s.getVersioned("tasks", "t")).contains(new Versioned("a", 1));
        s.put("tasks", "t", "b");
        s.put("tasks", "t", "c");
        assertThat(s.getVersioned("tasks", "t")).contains(new Versioned("c", 3));
        assertThat(s.get("tasks", "t")).contains("c");
        assertThat(s.delete("tasks", "t")).isTrue();
        assertThat(s.getVersioned("tasks", "t")).isEmpty();
        s.put("tasks", "t", "again");
        assertThat(s.getVersioned("tasks", "t")).contains(new Versioned("again", 1));
    }

    // ---- logs ----

    @Test
    void appendsGetDenseSequenceNumbersPerLogFromOne() {
        StateStore s = store();
        assertThat(s.lastSequence("history", "exec-1")).isZero();
        assertThat(s.read("history", "exec-1", 1, 10)).isEmpty();
        assertThat(s.logs("history")).isEmpty();
        for (int i = 1; i <= 5; i++)
            assertThat(s.append("history", "exec-1", "{\"event\":" + i + "}")).isEqualTo(i);
        assertThat(s.append("history", "exec-2", "other")).isEqualTo(1);
        assertThat(s.append("timers", "exec-1", "same id, other namespace")).isEqualTo(1);

        assertThat(s.lastSequence("history", "exec-1")).isEqualTo(5);
        assertThat(s.read("history", "exec-1", 1, 100))
                .extracting(LogRecord::sequence)
                .containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(s.read("history", "exec-1", 2, 2))
                .containsExactly(new LogRecord(2, "{\"event\":2}"), new LogRecord(3, "{\"event\":3}"));
        assertThat(s.read("history", "exec-1", 6, 10)).isEmpty();
        assertThat(s.read("history", "exec-1", 1, 0)).isEmpty();
        assertThat(s.read("history", "exec-2", 1, 10)).containsExactly(new LogRecord(1, "other"));
        assertThat(s.logs("history")).containsExactly("exec-1", "exec-2");
        assertThat(s.logs("timers")).containsExactly("exec-1");
        assertThat(s.list("history")).as("logs are not keys").isEmpty();
    }

    @Test
    void manyAndLargeRecordsReadBackInOrder() {
        StateStore s = store();
        String big = "ü".repeat(150_000); // bigger than a file store segment in UTF-8
        StateTransaction tx = s.transaction();
        for (int i = 1; i <= 1000; i++) tx.append("history", "big log/ü", i == 500 ? big : "r" + i);
        assertThat(tx.commit().lastSequence("history", "big log/ü")).isEqualTo(1000);
        for (int i = 1001; i <= 1010; i++) s.append("history", "big log/ü", big);
        List<LogRecord> all = new ArrayList<>();
        for (long from = 1; ; ) {
            List<LogRecord> page = s.read("history", "big log/ü", from, 64);
            if (page.isEmpty()) break;
            all.addAll(page);
            from = page.getLast().sequence() + 1;
        }
        assertThat(all)
                .extracting(LogRecord::sequence)
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, 1010).boxed().toList());
        assertThat(all.get(0).data()).isEqualTo("r1");
        assertThat(all.get(499).data()).isEqualTo(big);
        assertThat(all.get(1009).data()).isEqualTo(big);
        assertThat(s.logs("history")).containsExactly("big log/ü");
    }

    @Test
    void truncatingDropsAPrefixAndKeepsTheSequenceNumbers() {
        StateStore s = store();
        for (int i = 1; i <= 10; i++) s.append("history", "e", "r" + i);
        s.truncateBefore("history", "e", 4);
        assertThat(s.read("history", "e", 1, 100))
                .extracting(LogRecord::sequence)
                .containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(s.read("history", "e", 4, 1)).containsExactly(new LogRecord(4, "r4"));
        assertThat(s.lastSequence("history", "e")).isEqualTo(10);
        s.truncateBefore("history", "e", 2); // already gone: nothing happens
        assertThat(s.read("history", "e", 1, 1)).containsExactly(new LogRecord(4, "r4"));

        s.truncateBefore("history", "e", 11); // everything
        assertThat(s.read("history", "e", 1, 100)).isEmpty();
        assertThat(s.lastSequence("history", "e")).as("the end is kept").isEqualTo(10);
        assertThat(s.append("history", "e", "r11")).isEqualTo(11);
        assertThat(s.read("history", "e", 1, 100)).containsExactly(new LogRecord(11, "r11"));
        assertThat(s.logs("history")).containsExactly("e");

        assertThatThrownBy(() -> s.truncateBefore("history", "e", 13))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("log history/e")
                .hasMessageContaining("from 1 to 11");
        assertThatThrownBy(() -> s.truncateBefore("history", "none", 2)).isInstanceOf(IllegalArgumentException.class);
        assertThat(s.read("history", "e", 1, 100)).hasSize(1);

        StateStore again = reopen(s);
        assertThat(again.read("history", "e", 1, 100)).containsExactly(new LogRecord(11, "r11"));
        assertThat(again.lastSequence("history", "e")).isEqualTo(11);
        assertThat(again.append("history", "e", "r12")).isEqualTo(12);
    }

    // ---- transactions ----

    @Test
    void aTransactionWritesKeysOfSeveralNamespacesAndSeveralLogsAtOnce() {
        StateStore s = store();
        s.put("executions", "old", "x");
        s.append("history", "e1", "started");
        StateCommit c = s.transaction()
                .put("executions", "e1", "{\"status\":\"RUNNING\"}")
                .put("timers", "e1/wait", "{\"at\":123}")
                .delete("executions", "old")
                .delete("executions", "never-there")
                .append("history", "e1", "state entered")
                .append("history", "e1", "wait started")
                .append("history", "e2", "started")
                .commit();
        assertThat(c.version("executions", "e1")).isEqualTo(1);
        assertThat(c.version("executions", "old")).isZero();
        assertThat(c.version("executions", "never-there")).isZero();
        assertThat(c.version("executions", "untouched")).isEqualTo(-1);
        assertThat(c.lastSequence("history", "e1")).isEqualTo(3);
        assertThat(c.lastSequence("history", "e2")).isEqualTo(1);

        assertThat(s.list("executions")).containsExactly(Map.entry("e1", "{\"status\":\"RUNNING\"}"));
        assertThat(s.getVersioned("timers", "e1/wait")).contains(new Versioned("{\"at\":123}", 1));
        assertThat(s.read("history", "e1", 1, 10))
                .extracting(LogRecord::data)
                .containsExactly("started", "state entered", "wait started");
        assertThat(s.read("history", "e2", 1, 10)).containsExactly(new LogRecord(1, "started"));
    }

    @Test
    void theLastWriteOfAKeyInATransactionWinsAndCountsAsOneVersion() {
        StateStore s = store();
        s.put("k", "a", "0");
        StateCommit c = s.transaction()
                .put("k", "a", "1")
                .put("k", "a", "2")
                .put("k", "b", "x")
                .delete("k", "b")
                .commit();
        assertThat(c.version("k", "a")).isEqualTo(2);
        assertThat(s.getVersioned("k", "a")).contains(new Versioned("2", 2));
        assertThat(s.get("k", "b")).isEmpty();
    }

    @Test
    void expectedVersionsAndLogEndsThatHoldLetATransactionCommit() {
        StateStore s = store();
        s.put("executions", "e1", "v1");
        s.append("history", "e1", "a");
        StateCommit c = s.transaction()
                .expectVersion("executions", "e1", 1)
                .expectAbsent("executions", "e2")
                .expectLogEnd("history", "e1", 1)
                .expectLogEnd("history", "fresh", 0)
                .put("executions", "e1", "v2")
                .put("executions", "e2", "new")
                .append("history", "e1", "b")
                .append("history", "fresh", "first")
                .commit();
        assertThat(c.version("executions", "e1")).isEqualTo(2);
        assertThat(c.version("executions", "e2")).isEqualTo(1);
        assertThat(s.getVersioned("executions", "e1")).contains(new Versioned("v2", 2));
        assertThat(s.lastSequence("history", "e1")).isEqualTo(2);
        assertThat(s.lastSequence("history", "fresh")).isEqualTo(1);
        // an expectation on a key the transaction does not write is checked too
        s.transaction()
                .expectVersion("executions", "e2", 1)
                .put("other", "k", "v")
                .commit();
        assertThat(s.get("other", "k")).contains("v");
    }

    @Test
    void aWrongExpectationFailsTheWholeTransactionAndNamesTheKey() {
        StateStore s = store();
        s.put("executions", "e1", "v1");
        s.put("executions", "e1", "v2");
        s.append("history", "e1", "a");

        assertThatThrownBy(() -> s.transaction()
                        .put("executions", "new", "x")
                        .put("timers", "t", "y")
                        .delete("executions", "e1")
                        .append("history", "e1", "lost")
                        .append("history", "e9", "lost")
                        .expectVersion("executions", "e1", 1)
                        .commit())
                .isInstanceOfSatisfying(StateConflictException.class, e -> {
                    assertThat(e.kind()).isEqualTo(StateConflictException.Kind.KEY);
                    assertThat(e.namespace()).isEqualTo("executions");
                    assertThat(e.name()).isEqualTo("e1");
                    assertThat(e.expected()).isEqualTo(1);
                    assertThat(e.actual()).isEqualTo(2);
                })
                .hasMessageContaining("key executions/e1 was expected at version 1 but is at version 2");
        assertNothingOfTheFailedTransaction(s);

        assertThatThrownBy(() -> s.transaction()
                        .put("executions", "new", "x")
                        .expectAbsent("executions", "e1")
                        .commit())
                .isInstanceOf(StateConflictException.class)
                .hasMessageContaining("key executions/e1 was expected absent but is at version 2");
        assertThatThrownBy(() -> s.transaction()
                        .put("executions", "new", "x")
                        .expectVersion("executions", "missing", 3)
                        .commit())
                .isInstanceOf(StateConflictException.class)
                .hasMessageContaining("key executions/missing was expected at version 3 but is absent");
        assertThatThrownBy(() -> s.transaction()
                        .put("executions", "new", "x")
                        .append("history", "e1", "lost")
                        .expectLogEnd("history", "e1", 0)
                        .commit())
                .isInstanceOfSatisfying(StateConflictException.class, e -> {
                    assertThat(e.kind()).isEqualTo(StateConflictException.Kind.LOG);
                    assertThat(e.name()).isEqualTo("e1");
                    assertThat(e.expected()).isZero();
                    assertThat(e.actual()).isEqualTo(1);
                })
                .hasMessageContaining("log history/e1 was expected to end at sequence 0 but ends at 1");
        assertNothingOfTheFailedTransaction(s);
        assertNothingOfTheFailedTransaction(reopen(s));
    }

    private static void assertNothingOfTheFailedTransaction(StateStore s) {
        assertThat(s.getVersioned("executions", "e1")).contains(new Versioned("v2", 2));
        assertThat(s.get("executions", "new")).isEmpty();
        assertThat(s.get("timers", "t")).isEmpty();
        assertThat(s.read("history", "e1", 1, 10)).containsExactly(new LogRecord(1, "a"));
        assertThat(s.lastSequence("history", "e9")).isZero();
        assertThat(s.logs("history")).containsExactly("e1");
    }

    @Test
    void aTransactionIsCheckedWhenBuiltAndCommitsOnce() {
        StateStore s = store();
        StateTransaction tx = s.transaction().put("ns", "k", "v");
        assertThatThrownBy(() -> tx.put("Bad NS", "k", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tx.append("ns", "", "r")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tx.put("ns", "k", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tx.expectVersion("ns", "k", -1)).isInstanceOf(IllegalArgumentException.class);
        tx.expectVersion("ns", "k", 0);
        assertThatThrownBy(() -> tx.expectVersion("ns", "k", 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two different versions of ns/k");
        tx.commit();
        assertThatThrownBy(tx::commit).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> tx.put("ns", "k2", "v")).isInstanceOf(IllegalStateException.class);
        assertThat(s.list("ns")).containsOnlyKeys("k");
        assertThat(s.transaction().commit().versions())
                .as("an empty transaction does nothing")
                .isEmpty();
    }

    @Test
    void committedTransactionsSurviveReopening() {
        StateStore s = store();
        s.transaction()
                .put("executions", "e1", "{\"n\":1}")
                .put("timers", "e1", "t")
                .append("history", "e1", "a")
                .append("history", "e1", "b")
                .commit();
        s.transaction()
                .expectVersion("executions", "e1", 1)
                .put("executions", "e1", "{\"n\":2}")
                .delete("timers", "e1")
                .append("history", "e1", "c")
                .commit();
        StateStore again = reopen(s);
        assertThat(again.getVersioned("executions", "e1")).contains(new Versioned("{\"n\":2}", 2));
        assertThat(again.get("timers", "e1")).isEmpty();
        assertThat(again.read("history", "e1", 1, 10))
                .containsExactly(new LogRecord(1, "a"), new LogRecord(2, "b"), new LogRecord(3, "c"));
        assertThat(again.logs("history")).containsExactly("e1");
        assertThat(again.transaction()
                        .expectVersion("executions", "e1", 2)
                        .expectLogEnd("history", "e1", 3)
                        .append("history", "e1", "d")
                        .commit()
                        .lastSequence("history", "e1"))
                .isEqualTo(4);
    }

    // ---- concurrency ----

    @Test
    void ofTwoConflictingTransactionsExactlyOneCommits() throws Exception {
        StateStore s = store();
        StateStore other = another(s);
        StateStore[] stores = {s, other};
        s.put("executions", "e", "0");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 1; round <= 20; round++) {
                long version = round;
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    StateStore mine = stores[t];
                    String value = round + "-by-" + t;
                    results.add(pool.submit(() -> {
                        StateTransaction tx = mine.transaction()
                                .expectVersion("executions", "e", version)
                                .put("executions", "e", value)
                                .put("winners", "round-" + version, value)
                                .append("history", "e", value);
                        start.await();
                        try {
                            tx.commit();
                            return true;
                        } catch (StateConflictException e) {
                            assertThat(e.name()).isEqualTo("e");
                            assertThat(e.expected()).isEqualTo(version);
                            assertThat(e.actual()).isEqualTo(version + 1);
                            return false;
                        }
                    }));
                }
                int winner = results.get(0).get() ? 0 : 1;
                assertThat(results.get(0).get() ^ results.get(1).get())
                        .as("round %d: exactly one transaction commits", round)
                        .isTrue();
                String value = round + "-by-" + winner;
                assertThat(s.getVersioned("executions", "e")).contains(new Versioned(value, round + 1));
                assertThat(s.get("winners", "round-" + round)).contains(value);
                assertThat(s.read("history", "e", round, 2)).containsExactly(new LogRecord(round, value));
            }
        } finally {
            pool.shutdown();
            if (other != s) other.close();
        }
        assertThat(s.lastSequence("history", "e")).isEqualTo(20);
    }

    @Test
    void concurrentAppendersGetEverySequenceNumberOnce() throws Exception {
        StateStore s = store();
        StateStore other = another(s);
        StateStore[] stores = {s, other};
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<Long>>> fs = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                StateStore mine = stores[t];
                int thread = t;
                fs.add(pool.submit(() -> {
                    List<Long> seqs = new ArrayList<>();
                    for (int i = 0; i < 40; i++) {
                        if (i % 2 == 0) seqs.add(mine.append("history", "shared", thread + ":" + i));
                        else
                            seqs.add(mine.transaction()
                                    .append("history", "shared", thread + ":" + i)
                                    .put("counters", "t" + thread, Integer.toString(i))
                                    .commit()
                                    .lastSequence("history", "shared"));
                    }
                    return seqs;
                }));
            }
            Set<Long> given = new HashSet<>();
            for (Future<List<Long>> f : fs) given.addAll(f.get());
            assertThat(given)
                    .containsExactlyInAnyOrderElementsOf(
                            LongStream.rangeClosed(1, 80).boxed().toList());
        } finally {
            pool.shutdown();
            if (other != s) other.close();
        }
        List<LogRecord> all = s.read("history", "shared", 1, 1000);
        assertThat(all)
                .extracting(LogRecord::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 80).boxed().toList());
        assertThat(all).extracting(LogRecord::data).doesNotHaveDuplicates();
        assertThat(s.getVersioned("counters", "t0")).contains(new Versioned("39", 20));
    }
}
