package io.dataflare.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.engine.Engine;
import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.config.Problem;
import io.dataflare.engine.host.Grants;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.engine.host.PluginManifest;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stage's {@code grants:}: parsed with each bad entry named, checked against what the plugin's manifest
 * requests (all problems in one pass), bounded by a server's per-plugin grants, and carried by the contexts the
 * components get.
 */
class StageGrantsTest {
    @TempDir
    Path dir;

    private final InProcessPlugins plugins = new InProcessPlugins();
    private final Engine engine = TestEngines.withPlugins(plugins);
    /** What each {@code fetch} factory call saw through {@link Grants#of(PluginContext)}: preflight, then create. */
    private final List<Grants> seen = new CopyOnWriteArrayList<>();

    StageGrantsTest() {
        // http-get@1.0.0 requests HTTP to any host and its log, as a third-party sandboxed plugin would
        engine.plugins()
                .register(new LoadedPlugin(
                        PluginManifest.builder("http-get", "1.0.0", "java")
                                .kinds(List.of("processor"))
                                .capabilities(List.of("http:*", "log"))
                                .build(),
                        null,
                        List.of(new Fetch()),
                        null));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    /** {@code fetch}: passes records through; records the grants its contexts carry. */
    final class Fetch implements ProcessorFactory {
        @Override
        public String name() {
            return "fetch";
        }

        @Override
        public ConfigSpec configSpec() {
            return ConfigSpec.builder()
                    .optional("url", ConfigType.STRING, "http://127.0.0.1/", "what to fetch")
                    .build();
        }

        @Override
        public void preflight(PluginContext ctx) {
            seen.add(Grants.of(ctx));
        }

        @Override
        public Processor create(PluginContext ctx) {
            seen.add(Grants.of(ctx));
            return b -> b;
        }
    }

    private List<String> problems(String yaml, GrantPolicy policy) {
        try {
            engine.validate(
                    engine.parser().readText(yaml, "test.yaml", ConfigReader.Format.YAML, dir),
                    PipelineValidator.Scope.RUN,
                    policy);
        } catch (InvalidConfigException e) {
            return e.problems().stream().map(Problem::toString).toList();
        }
        throw new AssertionError("expected problems in:\n" + yaml);
    }

    private PipelinePlan plan(String yaml, GrantPolicy policy) {
        return engine.validate(
                engine.parser().readText(yaml, "test.yaml", ConfigReader.Format.YAML, dir),
                PipelineValidator.Scope.RUN,
                policy);
    }

    @Test
    void badGrantEntriesAreNamedWithTheirFileLineAndStage() {
        List<String> problems = problems("""
                sources:
                  in: { use: seq, with: { count: 1 }, grants: [42] }
                processors:
                  p: { use: fetch, from: in, grants: [htp:127.0.0.1] }
                sinks:
                  out: { use: collect, from: p, with: { name: a }, grants: { http: x } }
                policies:
                  retry: { use: fixed-retry, grants: ["file:read:"] }
                """, GrantPolicy.pipeline());
        assertThat(problems)
                .containsExactly(
                        "test.yaml:2:48: source 'in': each entry of 'grants' must be a capability, found a number",
                        // not also "missing [http:*]": what the bad entry meant to grant is unknown
                        "test.yaml:4:39: processor 'p': grants: unknown capability 'htp:127.0.0.1': use log, state,"
                                + " http:HOST, file:read:GLOB, file:write:GLOB, env:NAME, wasi or wasi:dir:PATH",
                        "test.yaml:6:60: sink 'out': 'grants' must be a list of capabilities (e.g. grants:"
                                + " [http:127.0.0.1, file:read:data/*.csv]), found a map",
                        "test.yaml:8:39: policies.retry: grants: unknown capability 'file:read:': use log, state,"
                                + " http:HOST, file:read:GLOB, file:write:GLOB, env:NAME, wasi or wasi:dir:PATH");
    }

    @Test
    void aPluginRequestingMoreThanItsStageIsGrantedIsRefusedAlongWithEveryOtherProblem() {
        List<String> problems = problems("""
                sources:
                  in: { use: seq, with: { count: 1 } }
                processors:
                  fetch: { use: fetch, from: in, grants: [state], with: { uri: x } }
                sinks:
                  out: { use: collect, from: fetch, with: { nmae: a } }
                """, GrantPolicy.pipeline());
        assertThat(problems)
                .containsExactly(
                        "test.yaml:4:17: stage 'fetch': plugin http-get@1.0.0 requests [http:*, log]; granted"
                                + " [log, state]; missing [http:*]: add grants: [http:HOST] to the stage",
                        "test.yaml:4:59: fetch: 'uri' is not an option of this plugin (did you mean 'url'?);"
                                + " options: url",
                        "test.yaml:6:43: collect: 'name' is required (where the test finds the records)",
                        "test.yaml:6:45: collect: 'nmae' is not an option of this plugin (did you mean 'name'?);"
                                + " options: delay_ms, name");
        assertThat(seen)
                .as("a component not granted what it requests is not preflighted")
                .isEmpty();
    }

    @Test
    void theStageGrantsReachTheComponentThroughItsPreflightAndRunContexts() throws Exception {
        PipelinePlan plan = plan("""
                sources:
                  in: { use: seq, with: { count: 3 } }
                processors:
                  fetch: { use: fetch, from: in, grants: [http:127.0.0.1, file:read:data/*.csv] }
                sinks:
                  out: { use: collect, from: fetch, with: { name: granted } }
                """, GrantPolicy.pipeline());
        PipelineResult r = engine.run(plan);
        assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        assertThat(plugins.collected("granted")).hasSize(3);
        assertThat(seen).hasSize(2).allSatisfy(g -> {
            assertThat(g.all()).containsExactlyInAnyOrder("log", "state", "http:127.0.0.1", "file:read:data/*.csv");
            assertThat(g.allowsHttp("127.0.0.1")).isTrue();
            assertThat(g.allowsHttp("10.0.0.1")).isFalse();
            assertThat(g.allowsFileRead("data/in.csv")).isTrue();
            assertThat(g.allowsFileRead("secrets.txt")).isFalse();
        });
    }

    @Test
    void aServerBoundsWhatAStageMayHoldAndGrantsItsOwnToStagesListingNone() throws Exception {
        GrantPolicy server = GrantPolicy.perPlugin(Map.of("http-get", Grants.of(List.of("http:*.example.com"))));

        List<String> problems = problems("""
                sources:
                  in: { use: seq, with: { count: 1 }, grants: [env:HOME] }
                processors:
                  fetch: { use: fetch, from: in, grants: [http:api.example.com, http:evil.org, log] }
                sinks:
                  out: { use: collect, from: fetch, with: { name: a } }
                """, server);
        assertThat(problems)
                .containsExactly(
                        "test.yaml:2:48: stage 'in': grant 'env:HOME' is not granted to plugin test-plugins by the"
                                + " server (it grants [log, state]; its operator adds grants under"
                                + " server.grants.test-plugins)",
                        "test.yaml:4:65: stage 'fetch': grant 'http:evil.org' is not granted to plugin http-get by"
                                + " the server (it grants [log, state, http:*.example.com]; its operator adds grants"
                                + " under server.grants.http-get)");

        // a narrower grant within the server's is the stage's own; none written: the server's for the plugin
        PipelinePlan narrowed = plan("""
                sources: { in: { use: seq, with: { count: 1 } } }
                processors: { fetch: { use: fetch, from: in, grants: [http:api.example.com] } }
                sinks: { out: { use: collect, from: fetch, with: { name: a } } }
                """, server);
        assertThat(narrowed.stage("fetch").component().grants().allowsHttp("api.example.com"))
                .isTrue();
        assertThat(narrowed.stage("fetch").component().grants().allowsHttp("www.example.com"))
                .isFalse();
        PipelinePlan inherited = plan("""
                sources: { in: { use: seq, with: { count: 1 } } }
                processors: { fetch: { use: fetch, from: in } }
                sinks: { out: { use: collect, from: fetch, with: { name: a } } }
                """, server);
        assertThat(inherited.stage("fetch").component().grants().allowsHttp("www.example.com"))
                .isTrue();

        // a plugin the server grants nothing beyond the defaults is refused, saying where the operator grants it
        assertThat(problems("""
                sources: { in: { use: seq, with: { count: 1 } } }
                processors: { fetch: { use: fetch, from: in } }
                sinks: { out: { use: collect, from: fetch, with: { name: a } } }
                """, GrantPolicy.perPlugin(Map.of())))
                .containsExactly("test.yaml:2:29: stage 'fetch': plugin http-get@1.0.0 requests [http:*, log];"
                        + " granted [log, state]; missing [http:*]: the server must grant plugin http-get [http:HOST]"
                        + " under server.grants.http-get (a stage may narrow it with grants:)");
    }
}
