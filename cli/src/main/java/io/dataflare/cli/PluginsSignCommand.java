package io.dataflare.cli;

import io.dataflare.engine.plugin.sign.KeyFiles;
import io.dataflare.engine.plugin.sign.PluginSignature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dataflare plugins sign FILE... --key KEY}: writes FILE.sig, an Ed25519 signature of the file's content. */
@Command(
        name = "sign",
        mixinStandardHelpOptions = true,
        description = {
            "Signs plugin files (JARs, WASM modules, scripts) with a private key made by 'plugins keygen': writes FILE.sig",
            "beside each (replacing an older one). Sign the final file: any later change of it makes the signature bad.",
            "Exit code: 0 signed, 1 a file or the key cannot be read, 2 the key is not an Ed25519 private key."
        })
final class PluginsSignCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "The plugin files to sign.")
    List<Path> files;

    @Option(
            names = "--key",
            required = true,
            paramLabel = "PRIVATE_KEY",
            description = "The private key (PEM, PKCS#8).")
    Path keyFile;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PrivateKey key;
        try {
            key = KeyFiles.readPrivate(keyFile);
        } catch (io.dataflare.engine.plugin.sign.InvalidKeyFileException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.INVALID;
        } catch (IOException e) {
            err.println("error: cannot read the key " + keyFile + ": " + e);
            return ExitCodes.FAILED;
        }
        String loose = KeyFiles.looseness(keyFile);
        if (loose != null) err.println("warning: " + keyFile + " is readable by others (" + loose + "): chmod 600 it");
        String keyId = KeyFiles.keyId(KeyFiles.publicOf(key));
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                err.println("error: " + f + " is not a file");
                return ExitCodes.FAILED;
            }
            try {
                Path sig = PluginSignature.sign(f, key);
                out.println("signed " + f + " -> " + sig.getFileName() + " (key " + keyId + ")");
            } catch (IOException e) {
                err.println("error: cannot sign " + f + ": " + e);
                return ExitCodes.FAILED;
            }
        }
        return ExitCodes.OK;
    }
}
