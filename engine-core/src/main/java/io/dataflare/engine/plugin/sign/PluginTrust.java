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
    private final List<Path> builtIn;

    public PluginTrust(boolean requireSigned, List<Path> trustedKeyDirs) {
        this(requireSigned, trustedKeyDirs, List.of());
    }

    /**
     * As {@link #PluginTrust(boolean, List)}, with folders whose files need no signature: the distribution's own
     * plugin folder, shipped with the engine and as trusted as the engine's code beside it.
     */
    public PluginTrust(boolean requireSigned, List<Path> trustedKeyDirs, List<Path> builtInDirs) {
        this.requireSigned = requireSigned;
        this.store = new TrustStore(trustedKeyDirs);
        this.builtIn =
                builtInDirs.stream().map(d -> d.toAbsolutePath().normalize()).toList();
    }

    /** No signature required (the default): files load as before. */
    public static PluginTrust none() {
        return new PluginTrust(false, List.of());
    }

    /** Whether {@code file} is in a built-in folder (no signature needed). */
    public boolean builtIn(Path file) {
        return builtIn.contains(file.toAbsolutePath().normalize().getParent());
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
        if (!requireSigned || builtIn(file)) return;
        SignatureCheck c = check(file);
        if (!c.trusted()) throw new PluginLoadException(REFUSED + c.detail());
    }
}
