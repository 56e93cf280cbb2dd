package io.dataflare.cli;

import io.dataflare.engine.host.Checksums;
import io.dataflare.engine.plugin.ChecksumSidecar;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dataflare plugins install FILE|GROUP:ARTIFACT:VERSION}: verifies a plugin, then copies it into a
 * plugins folder as {@code id-version.jar} with a {@code .sha256} sidecar. The sidecar goes in first and
 * the JAR is moved in atomically, so a running engine watching the folder never reads it half-written.
 */
@Command(
        name = "install",
        mixinStandardHelpOptions = true,
        description = {
            "Verifies a plugin file (as 'plugins verify' does) and copies it into the plugins folder, with a .sha256 sidecar.",
            "GROUP:ARTIFACT:VERSION[:CLASSIFIER] takes the JAR from the local Maven repository (~/.m2/repository, or --repo).",
            "Exit code: 0 installed, 2 the plugin is not usable, 1 it could not be found or copied."
        })
final class PluginsInstallCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PluginFolders folders;

    @Parameters(paramLabel = "FILE|GROUP:ARTIFACT:VERSION", description = "A plugin file, or Maven coordinates.")
    String source;

    @Option(
            names = "--repo",
            paramLabel = "DIR",
            description = "The Maven repository for coordinates (default: ~/.m2/repository).")
    Path repo;

    @Option(
            names = "--into",
            paramLabel = "DIR",
            description = "The plugins folder to install into (default: ./plugins).")
    Path into = Path.of("plugins");

    @Option(names = "--force", description = "Replace a different file of the same plugin version.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path file = locate(err);
        if (file == null) return ExitCodes.FAILED;
        Files.createDirectories(into);
        // verify a copy inside the target folder (hidden from scans by its name) so dependencies installed there
        // resolve
        Path staging = Files.createTempDirectory(into.toAbsolutePath(), ".staging-");
        try {
            Path copy = Files.copy(
                    file,
                    staging.resolve(
                            file.getFileName().toString().endsWith(".jar")
                                    ? file.getFileName().toString()
                                    : file.getFileName() + ".jar"));
            Path sidecar = ChecksumSidecar.of(file);
            if (Files.isRegularFile(sidecar)) Files.copy(sidecar, ChecksumSidecar.of(copy));
            List<Path> dirs = new java.util.ArrayList<>(folders.folders());
            dirs.add(into);
            PluginVerifier.Verdict v =
                    PluginVerifier.verify(dirs, staging, List.of(copy)).get(0);
            if (!v.ok()) {
                err.println("error: " + file + " is not a usable plugin: " + v.detail());
                return ExitCodes.INVALID;
            }
            String[] idVersion = v.plugin().split("@", 2);
            Path target = into.resolve(idVersion[0] + "-" + idVersion[1] + ".jar");
            if (Files.exists(target) && !Checksums.sha256(target).equals(Checksums.sha256(copy)) && !force) {
                err.println("error: " + target + " exists with other content (use --force to replace it)");
                return ExitCodes.FAILED;
            }
            Files.writeString(ChecksumSidecar.of(target), Checksums.sha256(copy) + "  " + target.getFileName() + "\n");
            Files.move(copy, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            out.println("installed " + v.plugin() + " into " + target + " (" + v.detail() + ")");
            return ExitCodes.OK;
        } finally {
            deleteTree(staging);
        }
    }

    /** The plugin file: {@code source} as a path, else as Maven coordinates in the repository. */
    private Path locate(PrintWriter err) {
        Path p = Path.of(source);
        if (Files.isRegularFile(p)) return p;
        String[] gav = source.split(":");
        if (gav.length < 3 || gav.length > 4 || source.contains("/")) {
            err.println("error: " + source + " is neither a file nor GROUP:ARTIFACT:VERSION[:CLASSIFIER]");
            return null;
        }
        Path root = repo != null ? repo : Path.of(System.getProperty("user.home"), ".m2", "repository");
        String name = gav[1] + "-" + gav[2] + (gav.length == 4 ? "-" + gav[3] : "") + ".jar";
        Path jar = root.resolve(gav[0].replace('.', '/'))
                .resolve(gav[1])
                .resolve(gav[2])
                .resolve(name);
        if (!Files.isRegularFile(jar)) {
            err.println("error: " + source + " is not in the Maven repository " + root + " (looked for " + jar + ")");
            return null;
        }
        return jar;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
