package io.dataflare.plugins.policies.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.PluginFactory;
import io.dataflare.api.policy.KeyRouter;
import io.dataflare.api.policy.RoutingLoad;
import io.dataflare.tck.SimplePluginContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RoutersTest {
    /** A load whose queue depths the test sets. */
    private static final class Load implements RoutingLoad {
        final int[] queued;

        Load(int... queued) {
            this.queued = queued;
        }

        @Override
        public int instances() {
            return queued.length;
        }

        @Override
        public int queued(int instance) {
            return queued[instance];
        }
    }

    private static KeyRouter router(PluginFactory<KeyRouter> f, Map<String, ?> config) throws Exception {
        return f.create(SimplePluginContext.of(f, config, null));
    }

    @Test
    void hashIsStablePerKeyAcrossInstancesAndSpreadsKeys() throws Exception {
        KeyRouter a = router(new HashRouterFactory(), Map.of());
        KeyRouter b = router(new HashRouterFactory(), Map.of());
        Load load = new Load(0, 0, 0, 0);
        int[] perInstance = new int[4];
        for (int i = 0; i < 10_000; i++) {
            String key = "customer-" + i;
            int x = a.route(key, load);
            assertThat(b.route(key, load)).isEqualTo(x);
            assertThat(a.route(key, load)).isEqualTo(x);
            perInstance[x]++;
        }
        for (int n : perInstance) assertThat(n).isBetween(2_200, 2_800);
        int[] longs = new int[4];
        for (long i = 0; i < 1_000; i++) longs[a.route(i * 4, load)]++;
        for (int n : longs) assertThat(n).isGreaterThan(150);
        assertThat(a.route(null, load)).isZero();
        assertThat(a.route(new byte[] {1, 2}, load)).isEqualTo(a.route(new byte[] {1, 2}, load));
    }

    @Test
    void roundRobinCycles() throws Exception {
        KeyRouter r = router(new RoundRobinRouterFactory(), Map.of());
        Load load = new Load(0, 0, 0);
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 7; i++) got.add(r.route("same", load));
        assertThat(got).containsExactly(0, 1, 2, 0, 1, 2, 0);
    }

    @Test
    void stickySendsNewKeysToTheLeastLoadedAndKeepsOldOnes() throws Exception {
        KeyRouter r = router(new StickyRouterFactory(), Map.of());
        Load load = new Load(3, 0, 5);
        assertThat(r.route("a", load)).isEqualTo(1);
        load.queued[1] = 9;
        assertThat(r.route("b", load)).isEqualTo(0);
        assertThat(r.route("a", load)).isEqualTo(1);
        // Equal queues: the instance with the fewest keys wins.
        load.queued[0] = load.queued[1] = load.queued[2] = 0;
        assertThat(r.route("c", load)).isEqualTo(2);
        List<Integer> next = new ArrayList<>();
        for (String k : List.of("d", "e", "f")) next.add(r.route(k, load));
        assertThat(next).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(r.route("b", load)).isEqualTo(0);
        assertThat(r.route(null, load)).isZero();
    }

    @Test
    void stickyFallsBackToHashBeyondMaxKeys() throws Exception {
        KeyRouter sticky = router(new StickyRouterFactory(), Map.of("max_keys", 2));
        KeyRouter hash = router(new HashRouterFactory(), Map.of());
        Load load = new Load(0, 0, 0, 0);
        sticky.route("a", load);
        sticky.route("b", load);
        for (int i = 0; i < 20; i++) {
            String k = "later-" + i;
            assertThat(sticky.route(k, load)).isEqualTo(hash.route(k, load));
        }
    }

    @Test
    void stickyGivesEachKeyOneInstanceUnderConcurrentCallers() throws Exception {
        KeyRouter r = router(new StickyRouterFactory(), Map.of());
        Load load = new Load(0, 0, 0);
        Map<String, Integer> first = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    boolean consistent = true;
                    for (int i = 0; i < 5_000; i++) {
                        String k = "k" + (i % 1_000);
                        int x = r.route(k, load);
                        Integer prior = first.putIfAbsent(k, x);
                        consistent &= prior == null || prior == x;
                    }
                    return consistent;
                }));
            }
            start.countDown();
            for (Future<Boolean> f : results) assertThat(f.get()).isTrue();
        } finally {
            pool.shutdownNow();
        }
        int[] perInstance = new int[3];
        first.values().forEach(i -> perInstance[i]++);
        for (int n : perInstance) assertThat(n).isBetween(300, 367);
    }
}
