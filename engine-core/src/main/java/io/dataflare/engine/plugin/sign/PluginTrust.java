package io.dataflare.engine.plugin.sign;

import io.dataflare.engine.host.PluginLoadException;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether plugin files must be signed by a trusted publisher before the registry reads or loads them, and
 * the trust store to check them against. The registry applies it to every plugin file of every language,
 * from the plugin folders (at start and on hot reload) and by path, before the file's host sees it.
 */
public final class PluginTrust {
    /** How a refusal's message starts (the resolver recognises refused files by it). */
    public static final String REFUSED = "refused (plugins must be signed): ";

    private final boolean requireSigned;
    private final TrustStore store;

    public PluginTrust(boolean requireSigned, List<Path> trustedKeyDirs) {
        this.requireSigned = requireSigned;
        this.store = new TrustStore(trustedKeyDirs);
    }

    /** No signature required (the default): files load as before. */
    public static PluginTrust none() {
        return new PluginTrust(false, List.of());
    }

    public boolean requireSigned() {
        return requireSigned;
    }

    public TrustStore store() {
        return store;
    }

    /** The verdict on {@code file}'s signature, whether or not signatures are required. */
    public SignatureCheck check(Path file) {
        return PluginSignature.check(file, store);
    }

    /**
     * Refuses {@code file} when signatures are required and it is not signed by a trusted key.
     *
     * @throws PluginLoadException naming the file and why
     */
    public void enforce(Path file) throws PluginLoadException {
        if (!requireSigned) return;
        SignatureCheck c = check(file);
        if (!c.trusted()) throw new PluginLoadException(REFUSED + c.detail());
    }
}
