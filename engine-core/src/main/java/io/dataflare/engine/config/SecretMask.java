package io.dataflare.engine.config;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every secret value this process has resolved from configuration, whatever pipeline or config file it
 * came from: the last line of defence for output channels that carry text from many places at once (the
 * log, the CLI's standard error, the server's responses), which mask through it. Per-pipeline
 * {@link Redactor}s register here as they learn secrets.
 */
public final class SecretMask {
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    private SecretMask() {}

    /** Adds a value to mask everywhere (values shorter than 3 characters would mask too much and are ignored). */
    public static void remember(String secret) {
        if (secret != null && secret.length() >= 3) SECRETS.add(secret);
    }

    /** Whether no secret is known (then {@link #mask} returns its argument). */
    public static boolean isEmpty() {
        return SECRETS.isEmpty();
    }

    /** {@code text} with every known secret replaced by {@link Redactor#MASK}. */
    public static String mask(String text) {
        if (text == null || SECRETS.isEmpty()) return text;
        String out = text;
        for (String s : SECRETS) {
            if (out.contains(s)) out = out.replace(s, Redactor.MASK);
        }
        return out;
    }
}
