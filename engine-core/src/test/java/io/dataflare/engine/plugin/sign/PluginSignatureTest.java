package io.dataflare.engine.plugin.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.engine.host.PluginLoadException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys written and read back, files signed and checked against a trust store, one changed byte detected. */
class PluginSignatureTest {
    @TempDir
    Path dir;

    private Path privateKey;
    private Path trusted;
    private Path plugin;

    @BeforeEach
    void keysAndAPlugin() throws Exception {
        KeyPair pair = KeyFiles.generate();
        privateKey = dir.resolve("acme.key");
        trusted = Files.createDirectories(dir.resolve("trusted-keys"));
        KeyFiles.writePrivate(pair.getPrivate(), privateKey);
        KeyFiles.writePublic(pair.getPublic(), trusted.resolve("acme.pub"));
        plugin = Files.write(dir.resolve("m.wasm"), new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 42});
    }

    private SignatureCheck check() {
        return PluginSignature.check(plugin, new TrustStore(List.of(trusted)));
    }

    @Test
    void aSignedFileVerifiesAsSignedByTheKeysName() throws Exception {
        PluginSignature.sign(plugin, KeyFiles.readPrivate(privateKey));
        SignatureCheck c = check();
        assertThat(c.status()).isEqualTo(SignatureCheck.Status.SIGNED);
        assertThat(c.signer()).isEqualTo("acme");
        assertThat(c.keyId()).isEqualTo(KeyFiles.keyId(KeyFiles.readPublic(trusted.resolve("acme.pub"))));
        assertThat(Files.readString(PluginSignature.of(plugin)))
                .contains("\"format\" : \"dataflare-plugin-signature/1\"")
                .contains("\"algorithm\" : \"Ed25519\"");
    }

    @Test
    void theDerivedPublicKeyIsTheGeneratedOne() throws Exception {
        KeyPair pair = KeyFiles.generate();
        assertThat(KeyFiles.publicOf(pair.getPrivate()).getEncoded())
                .isEqualTo(pair.getPublic().getEncoded());
    }

    @Test
    void oneChangedByteOfTheFileIsABadSignature() throws Exception {
        PluginSignature.sign(plugin, KeyFiles.readPrivate(privateKey));
        byte[] b = Files.readAllBytes(plugin);
        b[b.length - 1] ^= 1;
        Files.write(plugin, b);
        SignatureCheck c = check();
        assertThat(c.status()).isEqualTo(SignatureCheck.Status.BAD);
        assertThat(c.detail()).startsWith("bad signature: m.wasm changed since it was signed");
    }

    @Test
    void oneChangedByteOfTheSignatureIsABadSignature() throws Exception {
        Path sig = PluginSignature.sign(plugin, KeyFiles.readPrivate(privateKey));
        String text = Files.readString(sig);
        // a character in the second half of the signature (its S value: the R point stays a valid point)
        int at = text.indexOf("\"signature\" : \"") + "\"signature\" : \"".length() + 50;
        char flipped = text.charAt(at) == 'A' ? 'B' : 'A';
        Files.writeString(sig, text.substring(0, at) + flipped + text.substring(at + 1));
        SignatureCheck c = check();
        assertThat(c.status()).isEqualTo(SignatureCheck.Status.BAD);
        assertThat(c.detail()).contains("m.wasm.sig does not verify with key acme");
    }

    @Test
    void aChangedDigestInTheSignatureIsABadSignature() throws Exception {
        Path sig = PluginSignature.sign(plugin, KeyFiles.readPrivate(privateKey));
        String text = Files.readString(sig);
        int at = text.indexOf("\"sha256\" : \"") + "\"sha256\" : \"".length();
        char flipped = text.charAt(at) == '0' ? '1' : '0';
        Files.writeString(sig, text.substring(0, at) + flipped + text.substring(at + 1));
        assertThat(check().status()).isEqualTo(SignatureCheck.Status.BAD);
    }

    @Test
    void theManifestSidecarIsCovered() throws Exception {
        Path manifest = Files.writeString(dir.resolve("m.wasm.yaml"), "id: m\nversion: 1.0.0\nkind: processor\n");
        PluginSignature.sign(plugin, KeyFiles.readPrivate(privateKey));
        assertThat(check().status()).isEqualTo(SignatureCheck.Status.SIGNED);
        Files.writeString(manifest, "id: m\nversion: 1.0.0\nkind: processor\ncapabilities: [net]\n");
        assertThat(check().detail()).isEqualTo("bad signature: m.wasm.yaml changed since it was signed");
        Files.delete(manifest);
        assertThat(check().detail()).isEqualTo("bad signature: m.wasm.yaml was signed and is gone");
        PluginSignature.sign(plugin, KeyFiles.readPrivate(privateKey));
        Files.writeString(dir.resolve("m.wasm.yml"), "id: m\n");
        assertThat(check().detail()).startsWith("bad signature: m.wasm.yml is not covered by m.wasm.sig");
    }

    @Test
    void unsignedAndUnknownKeysAreTold() throws Exception {
        assertThat(check().status()).isEqualTo(SignatureCheck.Status.UNSIGNED);
        assertThat(check().detail()).isEqualTo("m.wasm is not signed (no m.wasm.sig)");
        Path other = dir.resolve("other.key");
        KeyFiles.writePrivate(KeyFiles.generate().getPrivate(), other);
        PluginSignature.sign(plugin, KeyFiles.readPrivate(other));
        SignatureCheck c = check();
        assertThat(c.status()).isEqualTo(SignatureCheck.Status.UNTRUSTED);
        assertThat(c.detail()).contains("which is not in the trust store (" + trusted.toAbsolutePath());
    }

    @Test
    void enforcementRefusesOnlyWhenSignaturesAreRequired() throws Exception {
        new PluginTrust(false, List.of(trusted)).enforce(plugin);
        assertThatThrownBy(() -> new PluginTrust(true, List.of(trusted)).enforce(plugin))
                .isInstanceOf(PluginLoadException.class)
                .hasMessage(PluginTrust.REFUSED + "m.wasm is not signed (no m.wasm.sig)");
        PluginSignature.sign(plugin, KeyFiles.readPrivate(privateKey));
        new PluginTrust(true, List.of(trusted)).enforce(plugin);
    }

    @Test
    void thePrivateKeyIsOwnerOnlyAndNeverOverwritten() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey)))
                .isEqualTo("rw-------");
        assertThat(KeyFiles.looseness(privateKey)).isNull();
        assertThatThrownBy(() -> KeyFiles.writePrivate(KeyFiles.generate().getPrivate(), privateKey))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> KeyFiles.readPrivate(trusted.resolve("acme.pub")))
                .isInstanceOf(InvalidKeyFileException.class)
                .hasMessageContaining("holds a PUBLIC KEY, expected a PRIVATE KEY");
    }
}
