package io.dataflare.cli.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataflare.engine.plugin.PluginEntry;
import io.dataflare.engine.plugin.PluginRegistry;
import io.dataflare.engine.plugin.sign.SignatureCheck;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The plugin files the central server assigns with a task: each is downloaded into a staging folder, checked
 * against the SHA-256 the heartbeat announced (and, when the node requires signed plugins, its signature against
 * the node's trust store), then moved into the node's own plugin folder and loaded, before the task starts. A file
 * already installed with the announced digest is not fetched again.
 */
final class EdgePlugins {
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,199}");

    private final URI central;
    private final String token;
    private final Path dir;
    private final PluginRegistry registry;
    private final HttpClient http;

    /**
     * @param central  the central server's base URL
     * @param dir      the node's plugin folder for assigned plugins (one of the registry's folders)
     * @param registry the local engine's plugins: loads what is installed, with the node's signature rules
     */
    EdgePlugins(URI central, String token, Path dir, PluginRegistry registry, HttpClient http) {
        this.central = central;
        this.token = token;
        this.dir = dir;
        this.registry = registry;
        this.http = http;
    }

    /**
     * Installs and loads the plugin files of an assignment ({@code [{file, url, sha256, signature?}]}); returns
     * null when they are all loaded, else what is wrong (the task is then not started).
     */
    String install(JsonNode plugins) throws InterruptedException {
        if (plugins == null || plugins.isMissingNode() || plugins.isEmpty()) return null;
        boolean changed = false;
        for (JsonNode p : plugins) {
            String name = p.path("file").asText();
            if (p.hasNonNull("error"))
                return "plugin file '" + name + "': " + p.get("error").asText();
            if (!FILE.matcher(name).matches() || name.endsWith(".sig") || name.endsWith(".sha256"))
                return "plugin file '" + name + "': not a plugin file name";
            String sha = p.path("sha256").asText();
            String signature = p.hasNonNull("signature") ? p.get("signature").asText() : null;
            try {
                Path target = dir.resolve(name);
                if (Files.isRegularFile(target) && sha256(target).equals(sha) && sameSignature(target, signature))
                    continue;
                String problem = fetch(name, p.path("url").asText("/api/nodes/plugins/" + name), sha, signature);
                if (problem != null) return "plugin file '" + name + "': " + problem;
                changed = true;
            } catch (IOException e) {
                return "plugin file '" + name + "': "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
        }
        if (changed) registry.scan();
        for (JsonNode p : plugins) {
            Path target = dir.resolve(p.path("file").asText()).toAbsolutePath().normalize();
            PluginEntry entry = null;
            for (PluginEntry e : registry.entries()) {
                if (e.file() != null && e.file().toAbsolutePath().normalize().equals(target)) entry = e;
            }
            if (entry == null) return "plugin file '" + target.getFileName() + "' was installed but not loaded";
            if (entry.state() != PluginEntry.State.LOADED)
                return "plugin file '" + target.getFileName() + "' is " + entry.state() + ": " + entry.reason();
        }
        return null;
    }

    /** Downloads, checks and installs one file; null when installed, else why not. */
    private String fetch(String name, String url, String sha, String signature)
            throws IOException, InterruptedException {
        Path staging = Files.createDirectories(dir.resolveSibling(dir.getFileName() + ".incoming"));
        Path tmp = staging.resolve(name);
        Path tmpSig = staging.resolve(name + ".sig");
        Files.deleteIfExists(tmpSig);
        HttpRequest req = HttpRequest.newBuilder(central.resolve(url))
                .timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build();
        HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200)
                return "the central server answered " + r.statusCode() + ": "
                        + new String(in.readNBytes(500), StandardCharsets.UTF_8);
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        String got = sha256(tmp);
        if (!got.equals(sha)) {
            Files.deleteIfExists(tmp);
            return "its SHA-256 is " + got + ", not the " + sha + " the central server announced: not installed";
        }
        if (signature != null) Files.writeString(tmpSig, signature, StandardCharsets.UTF_8);
        if (registry.trust().requireSigned()) {
            SignatureCheck c = registry.trust().check(tmp);
            if (!c.trusted()) {
                Files.deleteIfExists(tmp);
                Files.deleteIfExists(tmpSig);
                return "refused (this node requires signed plugins): " + c.detail();
            }
        }
        Files.createDirectories(dir);
        // the signature first: the registry never sees the new file without it
        if (signature != null) move(tmpSig, dir.resolve(name + ".sig"));
        else Files.deleteIfExists(dir.resolve(name + ".sig"));
        move(tmp, dir.resolve(name));
        return null;
    }

    private static boolean sameSignature(Path target, String signature) throws IOException {
        Path sig = target.resolveSibling(target.getFileName() + ".sig");
        if (signature == null) return !Files.exists(sig);
        return Files.isRegularFile(sig)
                && Files.readString(sig, StandardCharsets.UTF_8).equals(signature);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
