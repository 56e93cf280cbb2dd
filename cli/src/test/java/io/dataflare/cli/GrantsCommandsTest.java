package io.dataflare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.cli.fixture.DiscardSinkFactory;
import io.dataflare.cli.fixture.EmptySourceFactory;
import io.dataflare.engine.testing.PluginJars;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A script plugin requesting capabilities outside its sandbox: {@code validate} and {@code run} refuse it
 * (exit 2) until its stage is granted them, and {@code plugins info} shows what it requests and what of it
 * needs a grant.
 */
class GrantsCommandsTest {
    @TempDir
    Path dir;

    Path plugins;

    record Result(int exit, String out, String err) {}

    private Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(exit, out.toString(), err.toString());
    }

    @BeforeEach
    void install() throws Exception {
        plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.spec("io-fixtures", "1.0.0")
                .extension(EmptySourceFactory.class)
                .extension(DiscardSinkFactory.class)
                .write(plugins.resolve("io-fixtures-1.0.0.jar"));
        Files.writeString(plugins.resolve("fetcher.js"), """
                export const manifest = { id: 'fetcher', version: '1.0.0', kind: 'processor',
                                          capabilities: ['http:*', 'log', 'file:read:data/*.csv'] };
                export const map = r => r;
                """);
    }

    private Path pipeline(String name, String grants) throws Exception {
        return Files.writeString(dir.resolve(name), """
                sources: { in: { use: empty } }
                processors:
                  fetch:
                    use: fetcher
                    from: in
                """ + grants + """
                sinks: { out: { use: discard, from: fetch } }
                """);
    }

    @Test
    void aStageNotGrantedWhatItsPluginRequestsIsRefusedWithExit2() throws Exception {
        Path ungranted = pipeline("ungranted.yaml", "");
        for (String command : List.of("validate", "run")) {
            Result r = cli(command, ungranted.toString(), "--plugins", plugins.toString());
            assertThat(r.exit()).as(command + ": " + r.err()).isEqualTo(ExitCodes.INVALID);
            assertThat(r.err())
                    .contains(ungranted + ":4:10: stage 'fetch': plugin fetcher@1.0.0 requests [http:*, log,"
                            + " file:read:data/*.csv]; granted [log, state]; missing [http:*, file:read:data/*.csv]:"
                            + " add grants: [http:HOST, file:read:GLOB] to the stage");
        }

        Path granted = pipeline("granted.yaml", "    grants: [http:127.0.0.1, file:read:data/in.csv]\n");
        Result ok = cli("validate", granted.toString(), "--plugins", plugins.toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out())
                .contains("  processor  fetch            fetcher (fetcher@1.0.0)  granted file:read:data/in.csv,"
                        + " http:127.0.0.1\n");
        Result ran = cli("run", granted.toString(), "--plugins", plugins.toString(), "--state-dir", "" + dir);
        assertThat(ran.exit()).as(ran.err()).isZero();
    }

    @Test
    void pluginsInfoShowsWhatIsRequestedGrantedByDefaultAndNeedsAGrant() throws Exception {
        Result json = cli("plugins", "info", "fetcher", "--json", "--plugins", plugins.toString());
        assertThat(json.exit()).as(json.err()).isZero();
        JsonNode info = new ObjectMapper().readTree(json.out());
        assertThat(info.get("requested").toString()).isEqualTo("[\"http:*\",\"log\",\"file:read:data/*.csv\"]");
        assertThat(info.get("granted_by_default").toString()).isEqualTo("[\"log\"]");
        assertThat(info.get("needs_grant").toString()).isEqualTo("[\"http:*\",\"file:read:data/*.csv\"]");

        Result text = cli("plugins", "info", "fetcher", "--plugins", plugins.toString());
        assertThat(text.out())
                .contains("  requested:             http:*, log, file:read:data/*.csv\n")
                .contains("  granted by default:    log\n")
                .contains("  needs grant:           http:*, file:read:data/*.csv\n");

        Result local = cli("plugins", "info", "empty", "--json", "--plugins", plugins.toString());
        assertThat(new ObjectMapper().readTree(local.out()).get("needs_grant").size())
                .isZero();
    }
}
