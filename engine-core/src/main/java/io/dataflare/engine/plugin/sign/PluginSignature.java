package io.dataflare.engine.plugin.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataflare.engine.host.Checksums;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code .sig} file beside a plugin file ({@code plugin.wasm.sig} beside {@code plugin.wasm}): one JSON
 * object
 *
 * <pre>{@code
 * {"format": "dataflare-plugin-signature/1", "algorithm": "Ed25519",
 *  "key_id": "<hex SHA-256 of the signer's public key, DER>", "sha256": "<hex SHA-256 of the file>",
 *  "sidecars": {".yaml": "<hex SHA-256 of plugin.wasm.yaml>"},
 *  "signature": "<base64 Ed25519 signature of the signed text>"}
 * }</pre>
 *
 * The signed text is ASCII: {@code dataflare-plugin-signature/1}, then a line with the file's SHA-256, then one
 * line {@code SUFFIX SHA256} per manifest sidecar ({@code FILE.yaml}, {@code .yml}, {@code .json}, {@code .toml}:
 * a WASM module's manifest lives there), sorted by suffix, lines joined by {@code \n}. It carries digests,
 * not the file name: a signed file may be renamed (as {@code plugins install} does); the prefix keeps a
 * signature made for something else from passing as one. A sidecar added, changed or removed after signing
 * makes the signature bad.
 */
public final class PluginSignature {
    /** The format tag, also the prefix of the signed text. */
    public static final String FORMAT = "dataflare-plugin-signature/1";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The sidecars a signature covers: where a plugin's manifest may live beside it. */
    private static final List<String> SIDECARS = List.of(".json", ".toml", ".yaml", ".yml");

    private PluginSignature() {}

    /** The signature file of {@code file}. */
    public static Path of(Path file) {
        return file.resolveSibling(file.getFileName() + ".sig");
    }

    /** Signs {@code file} with {@code key}, writing (or replacing) its {@code .sig}; returns the {@code .sig}. */
    public static Path sign(Path file, PrivateKey key) throws IOException {
        PublicKey pub = KeyFiles.publicOf(key);
        String sha = Checksums.sha256(file);
        SortedMap<String, String> sidecars = sidecars(file);
        byte[] sig;
        try {
            Signature s = Signature.getInstance(KeyFiles.ALGORITHM);
            s.initSign(key);
            s.update(signedText(sha, sidecars));
            sig = s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with an " + KeyFiles.ALGORITHM + " key: " + e.getMessage(), e);
        }
        ObjectNode o = JSON.createObjectNode()
                .put("format", FORMAT)
                .put("algorithm", KeyFiles.ALGORITHM)
                .put("key_id", KeyFiles.keyId(pub))
                .put("sha256", sha);
        ObjectNode sc = o.putObject("sidecars");
        sidecars.forEach(sc::put);
        o.put("signature", Base64.getEncoder().encodeToString(sig));
        return Files.writeString(of(file), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n");
    }

    /** Checks {@code file}'s signature against the keys of {@code trust}. */
    public static SignatureCheck check(Path file, TrustStore trust) {
        Path sigFile = of(file);
        String name = file.getFileName().toString();
        if (!Files.isRegularFile(sigFile))
            return SignatureCheck.unsigned(name + " is not signed (no " + sigFile.getFileName() + ")");
        JsonNode o;
        try {
            o = JSON.readTree(Files.readString(sigFile));
        } catch (IOException e) {
            return SignatureCheck.bad(sigFile.getFileName() + " is not a signature file: " + firstLine(e.getMessage()));
        }
        String format = text(o, "format");
        String algorithm = text(o, "algorithm");
        String keyId = text(o, "key_id");
        String sha = text(o, "sha256");
        String signature = text(o, "signature");
        if (!FORMAT.equals(format)
                || !KeyFiles.ALGORITHM.equals(algorithm)
                || keyId == null
                || sha == null
                || signature == null)
            return SignatureCheck.bad(sigFile.getFileName() + " is not a " + FORMAT + " file with an "
                    + KeyFiles.ALGORITHM + " signature (needs format, algorithm, key_id, sha256, signature)");
        String actual;
        try {
            actual = Checksums.sha256(file);
        } catch (IOException e) {
            return SignatureCheck.bad("cannot read " + name + ": " + e.getMessage());
        }
        if (!actual.equals(sha))
            return SignatureCheck.bad(name + " changed since it was signed (its SHA-256 is " + actual + ", "
                    + sigFile.getFileName() + " signed " + sha + ")");
        SortedMap<String, String> signedSidecars = new TreeMap<>();
        JsonNode sc = o.path("sidecars");
        sc.fieldNames().forEachRemaining(k -> signedSidecars.put(k, sc.get(k).asText()));
        SortedMap<String, String> sidecars;
        try {
            sidecars = sidecars(file);
        } catch (IOException e) {
            return SignatureCheck.bad("cannot read the sidecars of " + name + ": " + e.getMessage());
        }
        for (String suffix : union(sidecars.keySet(), signedSidecars.keySet())) {
            if (!sidecars.containsKey(suffix)) return SignatureCheck.bad(name + suffix + " was signed and is gone");
            if (!signedSidecars.containsKey(suffix))
                return SignatureCheck.bad(name + suffix + " is not covered by " + sigFile.getFileName()
                        + " (added after signing: sign again)");
            if (!sidecars.get(suffix).equals(signedSidecars.get(suffix)))
                return SignatureCheck.bad(name + suffix + " changed since it was signed");
        }
        TrustStore.Key key = trust.find(keyId);
        if (key == null)
            return SignatureCheck.untrusted(
                    keyId,
                    name + " is signed by key " + keyId + ", which is not in the trust store (" + trust.describe()
                            + ")");
        boolean ok;
        try {
            Signature s = Signature.getInstance(KeyFiles.ALGORITHM);
            s.initVerify(key.publicKey());
            s.update(signedText(actual, sidecars));
            ok = s.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return SignatureCheck.bad(sigFile.getFileName() + " holds a malformed signature: " + e.getMessage());
        }
        if (!ok)
            return SignatureCheck.bad(sigFile.getFileName() + " does not verify with key " + key.name() + " (" + keyId
                    + "): the signature was not made for this content by that key");
        return SignatureCheck.signed(key.name(), keyId);
    }

    private static byte[] signedText(String sha256, SortedMap<String, String> sidecars) {
        StringBuilder sb = new StringBuilder(FORMAT).append('\n').append(sha256);
        sidecars.forEach(
                (suffix, sha) -> sb.append('\n').append(suffix).append(' ').append(sha));
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The manifest sidecars of {@code file} now: suffix to SHA-256. */
    private static SortedMap<String, String> sidecars(Path file) throws IOException {
        SortedMap<String, String> out = new TreeMap<>();
        for (String suffix : SIDECARS) {
            Path p = file.resolveSibling(file.getFileName() + suffix);
            if (Files.isRegularFile(p)) out.put(suffix, Checksums.sha256(p));
        }
        return out;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.addAll(b);
        return out;
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o == null ? null : o.get(field);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
