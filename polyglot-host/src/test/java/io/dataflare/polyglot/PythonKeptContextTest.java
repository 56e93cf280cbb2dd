package io.dataflare.polyglot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.data.Record;
import io.dataflare.api.error.PluginException;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.polyglot.runtime.LanguageRuntime;
import io.dataflare.tck.SimplePluginContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Python processor's context is kept, when its instance closes, for the next run of the same stage instance:
 * that run starts no new context, yet sees a module as fresh as a new context's (nothing the last run's script
 * defined is left), and the last run's {@code ctx}, wherever the script hid it, no longer acts.
 */
@Timeout(120)
class PythonKeptContextTest {
    /**
     * Numbers the records from 1 (a module counter), says whether a global the last run created from inside a
     * function is still there, and on its second run uses the ctx a first run hid in builtins.
     */
    private static final String COUNTER = """
            import builtins
            n = 0
            def map(r, ctx):
                global n, created_later
                n += 1
                r['n'] = n
                r['leftover'] = 'created_later' in globals()
                created_later = True
                if r['id'] == 99:
                    old = getattr(builtins, 'hidden_ctx', None)
                    if old is None:
                        builtins.hidden_ctx = ctx
                    elif old is not ctx:
                        old.log.info('acting with an earlier run\\'s ctx')
                return r
            """;

    @TempDir
    Path dir;

    PythonHost host;
    LoadedPlugin plugin;

    /** A host of its own per test: what it keeps is the test's alone. */
    @BeforeEach
    void load() throws Exception {
        host = new PythonHost();
        plugin = Scripts.load(host, dir, "counter.py", COUNTER);
    }

    @AfterEach
    void close() throws Exception {
        plugin.close();
        host.close();
    }

    private SimplePluginContext instance(int i) {
        ProcessorFactory f = Scripts.factory(plugin);
        return SimplePluginContext.of(f, Map.of(), dir).asInstance(i, 2);
    }

    private static List<Record> run(Processor p, int n) throws Exception {
        return p.process(Scripts.ids(n)).records();
    }

    @Test
    void theNextRunOfAStageInstanceTakesItsContextBackWithAFreshModuleAndTheOldCtxRevoked() throws Exception {
        LanguageRuntime runtime = host.runtime();
        ProcessorFactory f = Scripts.factory(plugin);
        try (Processor first = f.create(instance(0))) {
            List<Record> out = run(first, 3);
            assertThat(out).extracting(r -> r.getLong("n")).containsExactly(1L, 2L, 3L);
            assertThat(out.get(0).get("leftover")).isEqualTo(false);
            assertThat(out.get(1).get("leftover")).isEqualTo(true);
            assertThat(run(first, 100)).hasSize(100); // id 99 hides this run's ctx in builtins
        }
        assertThat(runtime.keptContexts().size())
                .as("kept when the instance closed")
                .isEqualTo(1);
        long created = runtime.contextsCreated();

        try (Processor again = f.create(instance(0))) {
            assertThat(runtime.contextsCreated()).as("no new context").isEqualTo(created);
            assertThat(runtime.keptContexts().size()).as("taken").isZero();
            List<Record> out = run(again, 3);
            assertThat(out)
                    .as("the module's counter starts again")
                    .extracting(r -> r.getLong("n"))
                    .containsExactly(1L, 2L, 3L);
            assertThat(out.get(0).get("leftover"))
                    .as("a global the last run created from a function is gone")
                    .isEqualTo(false);
            assertThatThrownBy(() -> run(again, 100))
                    .isInstanceOf(PluginException.class)
                    .hasMessageContaining("ctx.log of an instance that has closed");
        }
    }

    @Test
    void anotherInstanceOfTheStageStartsAContextOfItsOwn() throws Exception {
        LanguageRuntime runtime = host.runtime();
        ProcessorFactory f = Scripts.factory(plugin);
        try (Processor zero = f.create(instance(0))) {
            run(zero, 1);
        }
        long created = runtime.contextsCreated();
        try (Processor one = f.create(instance(1))) {
            assertThat(runtime.contextsCreated()).as("instance 1 never had one").isEqualTo(created + 1);
            assertThat(run(one, 2)).extracting(r -> r.getLong("n")).containsExactly(1L, 2L);
        }
        assertThat(runtime.keptContexts().size())
                .as("both kept, each for its instance")
                .isEqualTo(2);
    }
}
