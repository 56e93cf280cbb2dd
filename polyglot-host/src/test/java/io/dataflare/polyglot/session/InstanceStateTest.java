package io.dataflare.polyglot.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code ctx.state} is transactional per call: a call's writes count only when the call succeeds. */
class InstanceStateTest {
    @Test
    void aCallSeesItsOwnWritesAndTheyStayWhenItCommits() {
        InstanceState s = new InstanceState();
        s.set("a", "1");
        s.set("b", "2");
        s.commit();

        s.set("a", "10");
        s.delete("b");
        s.set("c", "3");
        assertThat(s.get("a")).isEqualTo("10");
        assertThat(s.get("b")).isNull();
        assertThat(s.get("c")).isEqualTo("3");
        s.delete("c");
        assertThat(s.get("c")).isNull();
        s.set("b", "20");
        assertThat(s.get("b")).isEqualTo("20");
        s.commit();

        assertThat(s.get("a")).isEqualTo("10");
        assertThat(s.get("b")).isEqualTo("20");
        assertThat(s.get("c")).isNull();
        assertThat(s.size()).isEqualTo(2);
    }

    @Test
    void aFailedCallLeavesTheStateExactlyAsBefore() {
        InstanceState s = new InstanceState();
        s.set("seen:1", "true");
        s.commit();

        s.set("seen:2", "true"); // a new key
        s.set("seen:1", "false"); // an overwrite
        s.delete("seen:1"); // and a delete
        s.rollback();

        assertThat(s.get("seen:1")).isEqualTo("true");
        assertThat(s.get("seen:2")).isNull();
        assertThat(s.size()).isEqualTo(1);
        s.commit(); // nothing pending: changes nothing
        assertThat(s.get("seen:2")).isNull();
    }

    @Test
    void theKeyLimitCountsKeysAddedInTheCall() {
        InstanceState s = new InstanceState(3);
        s.set("a", "1");
        s.set("b", "1");
        s.commit();
        s.set("c", "1");
        assertThatThrownBy(() -> s.set("d", "1")).hasMessageContaining("3 keys");
        s.set("a", "2"); // an existing key is no new key
        s.delete("c");
        s.set("d", "1"); // c's place, freed in this call
        s.commit();
        assertThat(s.size()).isEqualTo(3);
        s.rollback();
        s.delete("a");
        s.rollback();
        assertThatThrownBy(() -> s.set("e", "1"))
                .as("a rolled-back delete frees nothing")
                .hasMessageContaining("3 keys");
    }

    @Test
    void inAContextWithStateItIsTheEnginesStateAndStillTransactional() {
        io.dataflare.engine.state.keyed.HeapKeyedStore store = new io.dataflare.engine.state.keyed.HeapKeyedStore();
        io.dataflare.api.state.StateAccess engine =
                new io.dataflare.engine.state.keyed.KeyedStateAccess(store, java.time.Clock.systemUTC());
        io.dataflare.api.PluginContext ctx = new io.dataflare.api.PluginContext() {
            @Override
            public io.dataflare.api.config.PluginConfig config() {
                return null;
            }

            @Override
            public System.Logger logger() {
                return System.getLogger("test");
            }

            @Override
            public io.dataflare.api.PluginMetrics metrics() {
                return io.dataflare.api.PluginMetrics.noop();
            }

            @Override
            public java.time.Clock clock() {
                return java.time.Clock.systemUTC();
            }

            @Override
            public String pipeline() {
                return "p";
            }

            @Override
            public String stage() {
                return "s";
            }

            @Override
            public int instance() {
                return 0;
            }

            @Override
            public int instances() {
                return 1;
            }

            @Override
            public java.nio.file.Path resolvePath(String path) {
                return java.nio.file.Path.of(path);
            }

            @Override
            public io.dataflare.api.state.StateAccess state() {
                return engine;
            }
        };
        InstanceState s = InstanceState.of(ctx);
        assertThat(s.durable()).isTrue();
        io.dataflare.api.state.ValueState<String> values =
                engine.value(InstanceState.STATE_NAME, io.dataflare.api.state.StateType.string());

        s.set("AAPL", "[1,2]");
        assertThat(values.get("AAPL")).as("not before the call commits").isNull();
        s.commit();
        assertThat(values.get("AAPL")).isEqualTo("[1,2]");

        s.set("AAPL", "[1,2,3]");
        s.delete("MSFT");
        s.rollback();
        assertThat(values.get("AAPL")).as("a failed call changes nothing").isEqualTo("[1,2]");

        s.delete("AAPL");
        s.commit();
        assertThat(values.get("AAPL")).isNull();
        assertThat(store.size()).isZero();
    }

    @Test
    void theTckContextGivesScriptsItsEngineStateInMemory() {
        io.dataflare.tck.SimplePluginContext tck = io.dataflare.tck.SimplePluginContext.of(
                new io.dataflare.api.processor.ProcessorFactory() {
                    @Override
                    public String name() {
                        return "x";
                    }

                    @Override
                    public io.dataflare.api.processor.Processor create(io.dataflare.api.PluginContext c) {
                        return b -> b;
                    }
                },
                java.util.Map.of(),
                java.nio.file.Path.of("."));
        assertThat(InstanceState.of(tck).durable())
                .as("the TCK context has in-memory engine state")
                .isTrue();
    }
}
