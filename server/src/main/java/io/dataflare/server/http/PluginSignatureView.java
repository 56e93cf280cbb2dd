package io.dataflare.server.http;

import io.dataflare.engine.plugin.PluginEntry;
import io.dataflare.engine.plugin.sign.PluginTrust;
import io.dataflare.engine.plugin.sign.SignatureCheck;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A plugin file's signature as {@code /api/plugins} shows it: checked against the server's trust store whether or
 * not signatures are required, so an operator sees which files a {@code require_signed} server would refuse.
 */
final class PluginSignatureView {
    private PluginSignatureView() {}

    /**
     * {@code {"status", "signer", "key_id", "built_in", "detail"}} of {@code e}'s file; null for a plugin registered
     * in process (part of the server's own code: there is no file to sign). Status: {@code signed} (by a trusted
     * key), {@code unsigned} (no {@code .sig}), {@code untrusted} (a valid signature by a key not in the trust
     * store), {@code invalid} (a malformed signature, or one that does not match the file).
     */
    static Map<String, Object> of(PluginEntry e, PluginTrust trust) {
        if (e.file() == null) return null;
        SignatureCheck c = trust.check(e.file());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status(c.status()));
        m.put("signer", c.signer());
        m.put("key_id", c.keyId());
        // the distribution's own folder needs no signature, even under require_signed
        m.put("built_in", trust.builtIn(e.file()));
        m.put("detail", c.detail());
        return m;
    }

    private static String status(SignatureCheck.Status s) {
        return s == SignatureCheck.Status.BAD ? "invalid" : s.name().toLowerCase(Locale.ROOT);
    }
}
