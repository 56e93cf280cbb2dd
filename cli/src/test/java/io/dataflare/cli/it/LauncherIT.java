package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's launcher ({@code ./dataflare}) with stand-in JDKs: a {@code bin/java} script that writes down how
 * it was started, beside a {@code release} file. What the launcher decides shows in those starts: which JDK it
 * chose, the class path's order, and whether it started a JVM of its own to ask about the Graal compiler.
 */
class LauncherIT {
    private static final Path LAUNCHER = Distribution.launcher();

    @TempDir
    Path dir;

    private Path cache;

    @BeforeEach
    void cacheFolder() throws IOException {
        cache = Files.createDirectories(dir.resolve("cache"));
    }

    @Test
    void aJdkIsChosenFromItsReleaseFileWithoutStartingIt() throws Exception {
        Path jdk = fakeJdk("jdk21", "21.0.4", "21.0.4+7", 0);
        launch(Map.of("DATAFLARE_JAVA", jdk.resolve("bin/java").toString()), "--version");

        List<String> starts = starts(jdk);
        assertThat(starts).as("one start: the command's own JVM").hasSize(1);
        String start = starts.get(0);
        assertThat(start).endsWith("io.dataflare.cli.Main --version");
        // the JARs every command loads from come first: a short command opens those few
        String classPath = start.substring(start.indexOf("-cp ") + 4).split(" ")[0];
        assertThat(classPath.split(":"))
                .extracting(jar -> Path.of(jar).getFileName().toString())
                .startsWith("dataflare-cli.jar")
                .anyMatch(jar -> jar.startsWith("flink-runtime-"));
        assertThat(classPath.split(":")[1]).contains("picocli-");
    }

    @Test
    void aJdkOlderThan21IsPassedOverForAnotherOne() throws Exception {
        Path old = fakeJdk("jdk17", "17.0.12", "17.0.12+7", 0);
        Path jdk = fakeJdk("jdk21", "21.0.4", "21.0.4+7", 0);
        launch(
                Map.of(
                        "DATAFLARE_JAVA", old.resolve("bin/java").toString(),
                        "JAVA_HOME", jdk.toString()),
                "--version");
        assertThat(starts(old)).isEmpty();
        assertThat(starts(jdk)).hasSize(1);
    }

    @Test
    void theGraalCompilerCheckRunsOncePerJdkAndIsRemembered() throws Exception {
        Path jdk = fakeJdk("jdk25", "25.0.3", "25.0.3+9-test", 0);
        Map<String, String> env =
                Map.of("DATAFLARE_JAVA", jdk.resolve("bin/java").toString());

        launch(env, "run", "pipeline.yaml");
        List<String> first = starts(jdk);
        assertThat(first).hasSize(2);
        assertThat(first.get(0)).contains("-XX:+EnableJVMCI -version");
        assertThat(first.get(1)).contains("--upgrade-module-path=").endsWith("run pipeline.yaml");
        assertThat(cache.resolve("jvmci"))
                .isDirectoryContaining(p -> p.getFileName().toString().endsWith("@25.0.3+9-test"));

        launch(env, "run", "pipeline.yaml");
        List<String> both = starts(jdk);
        assertThat(both).as("no second check").hasSize(3);
        assertThat(both.get(2)).contains("--upgrade-module-path=");
    }

    @Test
    void aJdkThatCannotRunTheCompilerRunsWithoutItAndIsAskedAgainNextTime() throws Exception {
        Path jdk = fakeJdk("jdk25", "25.0.3", "25.0.3+9-nojvmci", 1);
        Map<String, String> env =
                Map.of("DATAFLARE_JAVA", jdk.resolve("bin/java").toString());

        launch(env, "run", "pipeline.yaml");
        launch(env, "run", "pipeline.yaml");
        List<String> starts = starts(jdk);
        assertThat(starts).hasSize(4);
        assertThat(starts.get(1)).doesNotContain("--upgrade-module-path").contains("WarnInterpreterOnly=false");
        assertThat(starts.get(2)).contains("-XX:+EnableJVMCI -version");
        assertThat(cache.resolve("jvmci")).doesNotExist();
    }

    /**
     * A stand-in JDK: {@code release} says the version, {@code bin/java} appends its arguments to {@code starts} and
     * exits 0, except for the compiler check ({@code -XX:+EnableJVMCI -version}), which exits {@code jvmciExit}.
     */
    private Path fakeJdk(String name, String version, String runtimeVersion, int jvmciExit) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name).resolve("bin")).getParent();
        Files.writeString(
                home.resolve("release"),
                "IMPLEMENTOR=\"Test\"\nJAVA_RUNTIME_VERSION=\"" + runtimeVersion + "\"\nJAVA_VERSION=\"" + version
                        + "\"\n");
        Path java = home.resolve("bin/java");
        Files.writeString(
                java,
                "#!/bin/sh\n"
                        + "echo \"$*\" >> '" + home.resolve("starts") + "'\n"
                        + "case \"$*\" in *EnableJVMCI\\ -version*) exit " + jvmciExit + " ;; esac\n"
                        + "exit 0\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    private static List<String> starts(Path jdk) throws IOException {
        Path f = jdk.resolve("starts");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    private void launch(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(LAUNCHER.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().remove("JAVA_HOME");
        pb.environment().put("DATAFLARE_CACHE_DIR", cache.toString());
        pb.environment().put("DATAFLARE_SKIP_BUILD", "1");
        pb.environment().put("DATAFLARE_DAEMON", "0");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).as(output).isZero();
    }
}
