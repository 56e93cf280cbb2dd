package io.dataflare.cli;

import io.dataflare.engine.plugin.sign.PluginTrust;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dataflare plugins verify DIR|FILE...}: manifest, checksum sidecar, signature, dependencies and
 * loadability of plugin files.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Checks plugin files as the engine would load them: the manifest, the .sha256 sidecar (when present),",
            "the signature (signed by a trusted key, unsigned, or bad: a .sig that does not match the file),",
            "the dependencies (resolved against the plugin folders and the file's own folder) and that it loads.",
            "A bad signature always fails; an unsigned file or an unknown signer fails with --require-signed.",
            "Exit code: 0 every file is usable, 2 some file is not, 1 nothing to verify."
        })
final class PluginsVerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PluginFolders folders;

    @Parameters(paramLabel = "DIR|FILE", arity = "1..*", description = "Plugin files, or folders of them.")
    List<Path> targets;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<PluginVerifier.Verdict> verdicts = new ArrayList<>();
        for (Path target : targets) {
            if (!Files.exists(target)) {
                err.println("error: " + target + " does not exist");
                return ExitCodes.FAILED;
            }
            verdicts.addAll(verdicts(target));
        }
        if (verdicts.isEmpty()) {
            err.println("error: no plugin files in "
                    + targets.stream().map(Path::toString).collect(Collectors.joining(", ")));
            return ExitCodes.FAILED;
        }
        PluginTrust trust = folders.trust();
        int bad = 0;
        for (PluginVerifier.Verdict raw : verdicts) {
            PluginVerifier.Verdict v = PluginVerifier.withSignature(raw, trust);
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

    private List<PluginVerifier.Verdict> verdicts(Path target) throws IOException {
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
        return PluginVerifier.verify(folders.folders(), dir, files).stream()
                .filter(v -> Files.isRegularFile(target)
                        || v.plugin() != null
                        || !v.detail().startsWith("no plugin host"))
                .toList();
    }
}
