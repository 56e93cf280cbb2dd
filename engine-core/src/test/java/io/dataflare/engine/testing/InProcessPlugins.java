package io.dataflare.engine.testing;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.PluginContext;
import io.dataflare.api.PluginFactory;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.policy.ErrorAction;
import io.dataflare.api.policy.ErrorPolicy;
import io.dataflare.api.policy.ErrorPolicyFactory;
import io.dataflare.api.policy.KeyRouter;
import io.dataflare.api.policy.KeyRouterFactory;
import io.dataflare.api.policy.RetryPolicy;
import io.dataflare.api.policy.RetryPolicyFactory;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.sink.SinkFactory;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.host.PluginManifest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Components built in the test, registered in process, so engine tests need no plugin JARs:
 * {@code seq} source, {@code collect} sink (records kept in {@link #collected(String)}), processors
 * whose behaviour the test passes as a function, and simple policies.
 */
public final class InProcessPlugins {
    private final Map<String, List<Record>> sinks = new ConcurrentHashMap<>();
    private final List<PluginFactory<?>> factories = new ArrayList<>();

    public InProcessPlugins() {
        factories.add(new SeqSource());
        factories.add(new CollectSink());
        factories.add(errorPolicy("skip", ErrorAction.SKIP));
        factories.add(errorPolicy("dead-letter", ErrorAction.DEAD_LETTER));
        factories.add(errorPolicy("abort", ErrorAction.ABORT));
        factories.add(new FixedRetry());
        factories.add(new HashRouter());
    }

    /** Records written by the {@code collect} sink whose {@code name} option is {@code sink}. */
    public List<Record> collected(String sink) {
        return sinks.computeIfAbsent(sink, k -> Collections.synchronizedList(new ArrayList<>()));
    }

    /** A processor made from its context (e.g. one using {@code context.state()}). */
    public InProcessPlugins processorOf(String name, java.util.function.Function<PluginContext, Processor> processors) {
        factories.add(new ProcessorFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Processor create(PluginContext context) {
                return processors.apply(context);
            }
        });
        return this;
    }

    /** Adds a processor named {@code name}; each instance is a new one from {@code processors}. */
    public InProcessPlugins processor(String name, Supplier<Processor> processors) {
        factories.add(new ProcessorFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Processor create(PluginContext context) {
                return processors.get();
            }
        });
        return this;
    }

    /** Adds a component. */
    public InProcessPlugins add(PluginFactory<?> factory) {
        factories.add(factory);
        return this;
    }

    /** The plugin to register: {@code test-plugins@1.0.0}. */
    public LoadedPlugin plugin() {
        return new LoadedPlugin(
                PluginManifest.builder("test-plugins", "1.0.0", "java")
                        .kinds(List.of("source", "sink", "processor", "policy"))
                        .build(),
                null,
                factories,
                null);
    }

    /** {@code seq}: {@code count} records {@code id} 0..count-1, {@code key} = "k" + id % keys. */
    final class SeqSource implements SourceFactory {
        @Override
        public String name() {
            return "seq";
        }

        @Override
        public ConfigSpec configSpec() {
            return ConfigSpec.builder()
                    .required("count", ConfigType.LONG, "records")
                    .optional("keys", ConfigType.LONG, 10L, "distinct keys")
                    .optional("chunk", ConfigType.LONG, 1000L, "records per poll at most")
                    .build();
        }

        @Override
        public Source create(PluginContext ctx) {
            long count = ctx.config().getLong("count");
            long keys = ctx.config().getLong("keys");
            int chunk = ctx.config().getInt("chunk", 1000);
            Fields fields = Fields.of("id", "key");
            return new Source() {
                long next;

                @Override
                public void seek(Map<String, Object> position) {
                    next = ((Number) position.get("next")).longValue();
                }

                @Override
                public RecordBatch poll(int max) {
                    if (next >= count) return null;
                    RecordBatch.Builder b = RecordBatch.builder(max);
                    for (int i = 0; i < Math.min(max, chunk) && next < count; i++, next++) {
                        b.add(Record.of(fields, next, "k" + (next % keys)));
                    }
                    return b.position(Map.of("next", next)).build();
                }
            };
        }
    }

    /** {@code collect}: keeps records in memory under its {@code name} option. */
    final class CollectSink implements SinkFactory {
        @Override
        public String name() {
            return "collect";
        }

        @Override
        public ConfigSpec configSpec() {
            return ConfigSpec.builder()
                    .required("name", ConfigType.STRING, "where the test finds the records")
                    .optional("delay_ms", ConfigType.LONG, 0L, "sleep per batch")
                    .build();
        }

        @Override
        public Sink create(PluginContext ctx) {
            List<Record> out = collected(ctx.config().getString("name"));
            long delay = ctx.config().getLong("delay_ms");
            return new Sink() {
                @Override
                public void write(RecordBatch batch, io.dataflare.api.sink.Rejections rejections) throws Exception {
                    if (delay > 0) Thread.sleep(delay);
                    out.addAll(batch.records());
                }

                /** Like a file's length: how many records are durably written. */
                @Override
                public Map<String, Object> checkpoint() {
                    return Map.of("count", out.size());
                }

                /** Like truncating a file: forget what came after the checkpoint. */
                @Override
                public void restore(Map<String, Object> state) {
                    int count = ((Number) state.get("count")).intValue();
                    synchronized (out) {
                        out.subList(count, out.size()).clear();
                    }
                }
            };
        }
    }

    private static ErrorPolicyFactory errorPolicy(String name, ErrorAction action) {
        return new ErrorPolicyFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ErrorPolicy create(PluginContext context) {
                return f -> action;
            }
        };
    }

    /** {@code fixed-retry}: {@code max_attempts} attempts, no delay. */
    static final class FixedRetry implements RetryPolicyFactory {
        @Override
        public String name() {
            return "fixed-retry";
        }

        @Override
        public ConfigSpec configSpec() {
            return ConfigSpec.builder()
                    .optional("max_attempts", ConfigType.LONG, 3L, "attempts in all")
                    .build();
        }

        @Override
        public RetryPolicy create(PluginContext ctx) {
            long max = ctx.config().getLong("max_attempts");
            return f -> f.attempts() < max ? Optional.of(Duration.ZERO) : Optional.empty();
        }
    }

    /** {@code hash}: key hash modulo instances. */
    static final class HashRouter implements KeyRouterFactory {
        @Override
        public String name() {
            return "hash";
        }

        @Override
        public ComponentKind kind() {
            return ComponentKind.KEY_ROUTER;
        }

        @Override
        public KeyRouter create(PluginContext ctx) {
            return (key, load) -> key == null ? 0 : Math.floorMod(key.hashCode(), load.instances());
        }
    }
}
