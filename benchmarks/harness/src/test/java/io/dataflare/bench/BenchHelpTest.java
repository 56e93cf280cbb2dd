package io.dataflare.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./dataflare bench --help} prints {@code bench-help.txt} without building the harness: the file
 * must say what {@link BenchMain}'s own help says, and the launcher must print it without a build.
 */
class BenchHelpTest {
    private static final Path HELP = Path.of("bench-help.txt");
    private static final Path LAUNCHER = Path.of("../../dataflare");

    @TempDir
    Path dir;

    @Test
    void theHelpFileIsBenchMainsHelp() throws IOException {
        String usage = new CommandLine(new BenchMain()).getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertThat(Files.readString(HELP))
                .as("bench-help.txt is out of date: write BenchMain's usage into it:%n%s", usage)
                .isEqualTo(usage);
    }

    @Test
    void theLauncherPrintsItWithoutBuilding() throws Exception {
        // A checkout with nothing built: any build attempt shows on stderr ("building ...") and fails.
        Path root = Files.createDirectories(dir.resolve("checkout"));
        Path launcher = Files.copy(LAUNCHER, root.resolve("dataflare"));
        Files.createDirectories(root.resolve("benchmarks/harness"));
        Files.copy(HELP, root.resolve("benchmarks/harness/bench-help.txt"));
        for (String flag : List.of("--help", "-h")) {
            List<String> cmd = new ArrayList<>(List.of("bash", launcher.toString(), "bench", "--rows", "10", flag));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            pb.environment().remove("DATAFLARE_SKIP_BUILD");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(err).isZero();
            assertThat(err).isEmpty();
            assertThat(out).isEqualTo(Files.readString(HELP));
        }
    }
}
