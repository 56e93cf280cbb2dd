package io.dataflare.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.cli.Main;
import io.dataflare.engine.Engine;
import io.dataflare.server.ServerConfig;
import io.dataflare.server.TaskServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code dataflare serve}'s options: an invalid config file exits 2; the plugin folders are watched unless told not to. */
class ServeCommandTest {
    @TempDir
    Path dir;

    @Test
    void aConfigFileWhosePipelineIsInvalidExitsTwoWithLocatedProblems() throws Exception {
        Path invalid = Files.writeString(dir.resolve("invalid-pipeline.yaml"), """
                tasks:
                  one:
                    pipeline:
                      sources: { in: { use: push } }
                      sinks: { out: { use: memory, from: nowhere } }
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(
                new PrintWriter(out),
                new PrintWriter(err),
                "serve",
                "--config",
                invalid.toString(),
                "--port",
                "0",
                "--state-dir",
                dir.resolve("state").toString());
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains(invalid + ":5:").contains("nowhere").contains("nothing was run");
    }

    @Test
    void theEngineWatchesThePluginFoldersUnlessTheFlagOrTheConfigFileTurnsItOff() throws Exception {
        assertThat(watching()).as("by default").isTrue();
        assertThat(watching("--no-watch-plugins")).isFalse();
        Path off = Files.writeString(dir.resolve("off.yaml"), "server:\n  watch_plugins: false\n");
        assertThat(watching("--config", off.toString()))
                .as("server.watch_plugins: false")
                .isFalse();
        assertThat(watching("--config", off.toString(), "--watch-plugins"))
                .as("the command line wins")
                .isTrue();
    }

    /** Whether the engine {@code serve} builds with these arguments watches its folders. */
    private boolean watching(String... args) throws Exception {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs(args);
        ServerConfig config = serve.config();
        try (Engine engine = TaskServer.engineBuilder(config, List.of(dir)).build()) {
            return engine.plugins().isWatching();
        }
    }
}
