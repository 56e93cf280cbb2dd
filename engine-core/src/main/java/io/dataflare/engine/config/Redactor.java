package io.dataflare.engine.config;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Remembers secret values read from configuration and masks them wherever text is shown. */
public final class Redactor {
    /** What a secret is shown as. */
    public static final String MASK = "***";

    private final Set<String> secrets = ConcurrentHashMap.newKeySet();

    /** Adds a value to mask (values shorter than 3 characters would mask too much and are ignored). */
    public void add(String secret) {
        if (secret != null && secret.length() >= 3) {
            secrets.add(secret);
            SecretMask.remember(secret);
        }
    }

    /** Whether any secret is known. */
    public boolean isEmpty() {
        return secrets.isEmpty();
    }

    /** {@code text} with every known secret replaced by {@link #MASK}. */
    public String redact(String text) {
        if (text == null || secrets.isEmpty()) return text;
        String out = text;
        for (String s : secrets) out = out.replace(s, MASK);
        return out;
    }
}
