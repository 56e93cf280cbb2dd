package io.dataflare.engine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
}
