package io.dataflare.cli;

import io.dataflare.engine.plugin.sign.KeyFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dataflare plugins keygen NAME}: a publisher's Ed25519 key pair for signing plugin files. */
@Command(
        name = "keygen",
        mixinStandardHelpOptions = true,
        description = {
            "Creates an Ed25519 key pair for signing plugin files: NAME.key (the private key, PKCS#8 PEM, readable by",
            "its owner only: keep it secret) and NAME.pub (the public key, X.509 PEM: copy it into the trusted keys folder",
            "of every engine that should trust your plugins). Existing files are never overwritten.",
            "Exit code: 0 written, 1 a file exists or cannot be written."
        })
final class PluginsKeygenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(
            paramLabel = "NAME",
            description = "The publisher's name: the key files' name, and how verify names the signer.")
    String name;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to write the key files (default: here).")
    Path dir = Path.of(".");

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            err.println("error: the name may use letters, digits, '.', '_' and '-' (it names the key files)");
            return ExitCodes.INVALID;
        }
        Path key = dir.resolve(name + ".key");
        Path pub = dir.resolve(name + ".pub");
        for (Path p : new Path[] {key, pub}) {
            if (Files.exists(p)) {
                err.println("error: " + p + " exists: a key is never overwritten");
                return ExitCodes.FAILED;
            }
        }
        KeyPair pair = KeyFiles.generate();
        try {
            Files.createDirectories(dir);
            KeyFiles.writePrivate(pair.getPrivate(), key);
            KeyFiles.writePublic(pair.getPublic(), pub);
        } catch (IOException e) {
            err.println("error: cannot write the key files: " + e);
            return ExitCodes.FAILED;
        }
        out.println("wrote " + key + " (private key, owner-only: keep it secret) and " + pub + " (public key)");
        out.println("key id " + KeyFiles.keyId(pair.getPublic()));
        out.println("sign with: dataflare plugins sign FILE --key " + key);
        out.println("trust with: copy " + pub.getFileName()
                + " into <dataflare home>/trusted-keys/, a --trusted-keys folder or server.plugins.trusted_keys");
        return ExitCodes.OK;
    }
}
