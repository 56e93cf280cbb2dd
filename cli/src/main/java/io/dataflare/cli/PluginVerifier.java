package io.dataflare.cli;

import io.dataflare.api.PluginFactory;
import io.dataflare.engine.plugin.ChecksumSidecar;
import io.dataflare.engine.plugin.PluginEntry;
import io.dataflare.engine.plugin.PluginRegistry;
import io.dataflare.engine.plugin.sign.PluginTrust;
import io.dataflare.engine.plugin.sign.SignatureCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Checks plugin files the way the engine would load them: a registry over the engine's plugin folders
 * plus the files' own folder (so dependencies installed there resolve) reads each file's manifest, checks
 * its {@code .sha256} sidecar, resolves its dependencies and loads it.
 */
final class PluginVerifier {
    /** The verdict on one file. */
    record Verdict(Path file, boolean ok, String plugin, String detail) {}

    /**
     * {@code v} with the signature's verdict added: a bad signature makes the file unusable, and so does a
     * missing or untrusted one when signatures are required (the built-in folder's files need none).
     */
    static Verdict withSignature(Verdict v, PluginTrust trust) {
        if (v.plugin() == null && v.detail().startsWith("no plugin host")) return v;
        SignatureCheck c = trust.check(v.file());
        boolean exempt = trust.builtIn(v.file()) && c.status() == SignatureCheck.Status.UNSIGNED;
        boolean refused = c.status() == SignatureCheck.Status.BAD || (trust.requireSigned() && !c.trusted() && !exempt);
        String note = c.status() == SignatureCheck.Status.UNSIGNED
                ? (exempt ? "unsigned (built in)" : "unsigned")
                : c.detail();
        return new Verdict(v.file(), v.ok() && !refused, v.plugin(), v.detail() + "; " + note);
    }

    private PluginVerifier() {}

    /** Verifies {@code targets} (files in {@code dir}), resolving dependencies against {@code folders} and {@code dir}. */
    static List<Verdict> verify(List<Path> folders, Path dir, List<Path> targets) {
        PluginRegistry.Builder b = PluginRegistry.builder().discoverHosts();
        for (Path f : folders) b.addDirectory(f);
        b.addDirectory(dir);
        List<Verdict> out = new ArrayList<>();
        try (PluginRegistry registry = b.build()) {
            List<PluginEntry> entries = registry.scan();
            for (Path t : targets) {
                Path abs = t.toAbsolutePath().normalize();
                PluginEntry e = entries.stream()
                        .filter(x -> abs.equals(x.file()))
                        .findFirst()
                        .orElse(null);
                if (e == null) {
                    out.add(new Verdict(
                            t,
                            false,
                            null,
                            registry.hostFor(abs) == null
                                    ? "no plugin host handles this file (hosts: "
                                            + registry.hosts().stream()
                                                    .map(h -> h.language())
                                                    .collect(Collectors.joining(", "))
                                            + ")"
                                    : "not found"));
                } else {
                    out.add(verdict(t, e));
                }
            }
        }
        return out;
    }

    private static Verdict verdict(Path file, PluginEntry e) {
        String label = e.manifest() == null ? null : e.manifest().label();
        if (e.state() != PluginEntry.State.LOADED) {
            String reason = e.state() == PluginEntry.State.INCOMPATIBLE ? e.reason() : e.reason();
            return new Verdict(file, false, label, e.state().name().toLowerCase(java.util.Locale.ROOT) + ": " + reason);
        }
        List<String> parts = new ArrayList<>();
        List<PluginFactory<?>> components = e.plugin().components();
        parts.add(
                components.isEmpty()
                        ? "no components (a library)"
                        : components.stream()
                                .map(f -> f.kind().label() + " " + f.name())
                                .collect(Collectors.joining(", ")));
        if (!e.dependencies().isEmpty()) parts.add("dependencies " + String.join(", ", e.dependencies()));
        parts.add(Files.isRegularFile(ChecksumSidecar.of(e.file())) ? "checksum verified" : "no .sha256 sidecar");
        parts.add("sha256 " + e.manifest().checksum());
        return new Verdict(file, true, label, String.join("; ", parts));
    }
}
