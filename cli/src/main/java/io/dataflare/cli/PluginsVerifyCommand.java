package io.dataflare.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dataflare plugins verify DIR|FILE}: manifest, checksum sidecar, dependencies and loadability of plugin files. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Checks plugin files as the engine would load them: the manifest, the .sha256 sidecar (when present),",
            "the dependencies (resolved against the plugin folders and the file's own folder) and that it loads.",
            "Exit code: 0 every file is usable, 2 some file is not, 1 nothing to verify."
        })
final class PluginsVerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PluginFolders folders;

    @Parameters(paramLabel = "DIR|FILE", description = "A plugin file, or a folder of them.")
    Path target;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.exists(target)) {
            err.println("error: " + target + " does not exist");
            return ExitCodes.FAILED;
        }
        Path dir = Files.isDirectory(target) ? target : target.toAbsolutePath().getParent();
        List<Path> files;
        if (Files.isDirectory(target)) {
            try (Stream<Path> s = Files.list(target)) {
                files = s.filter(Files::isRegularFile)
                        .filter(p -> !p.getFileName().toString().contains(".jar.")
                                && !p.getFileName().toString().startsWith("."))
                        .sorted()
                        .collect(Collectors.toList());
            }
        } else {
            files = List.of(target);
        }
        List<PluginVerifier.Verdict> verdicts = PluginVerifier.verify(folders.folders(), dir, files).stream()
                .filter(v -> Files.isRegularFile(target)
                        || v.plugin() != null
                        || !v.detail().startsWith("no plugin host"))
                .toList();
        if (verdicts.isEmpty()) {
            err.println("error: no plugin files in " + target);
            return ExitCodes.FAILED;
        }
        int bad = 0;
        for (PluginVerifier.Verdict v : verdicts) {
            if (!v.ok()) bad++;
            out.printf(
                    "%-4s %s%s: %s%n",
                    v.ok() ? "OK" : "FAIL",
                    v.file().getFileName(),
                    v.plugin() == null ? "" : " (" + v.plugin() + ")",
                    v.detail());
        }
        out.println(verdicts.size() - bad + " of " + verdicts.size() + " plugin file(s) usable");
        return bad == 0 ? ExitCodes.OK : ExitCodes.INVALID;
    }
}
