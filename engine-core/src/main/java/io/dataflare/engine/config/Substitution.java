package io.dataflare.engine.config;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Replaces {@code ${NAME}} (environment variable), {@code ${NAME:-default}} and {@code ${secret:name}}
 * in configuration strings; {@code $${} writes a literal {@code ${}. Secrets are recorded in a
 * {@link Redactor} so they can be masked in logs and API output.
 */
public final class Substitution {
    private final Function<String, String> env;
    private final SecretResolver secrets;
    private final Redactor redactor;

    /** Substitution from {@code env}, resolving secrets with {@code secrets} and recording them in {@code redactor}. */
    public Substitution(Function<String, String> env, SecretResolver secrets, Redactor redactor) {
        this.env = env;
        this.secrets = secrets;
        this.redactor = redactor;
    }

    /** Substitution from the process environment, secrets from the environment only. */
    public static Substitution fromSystem(Redactor redactor) {
        return new Substitution(System::getenv, SecretResolver.standard(System.getenv(), null), redactor);
    }

    /** The redactor that collects secret values. */
    public Redactor redactor() {
        return redactor;
    }

    /**
     * The result of substituting one string.
     *
     * @param text       the text with every reference replaced (an unresolvable one by nothing)
     * @param secret     whether a secret went into it
     * @param unresolved whether a reference could not be resolved (the problem was reported): the text is
     *                   not what the author meant, so checks of the value would only repeat that problem
     */
    public record Result(String text, boolean secret, boolean unresolved) {}

    /**
     * Substitutes {@code text}; problems (an unset variable, an unknown secret, an unclosed reference)
     * are added to {@code problems} at {@code location}.
     */
    public Result apply(String text, Location location, List<Problem> problems) {
        if (text.indexOf('$') < 0) return new Result(text, false, false);
        StringBuilder out = new StringBuilder(text.length());
        boolean secret = false;
        boolean unresolved = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (c == '$' && text.startsWith("${", i)) {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    problems.add(
                            new Problem(location, "unclosed '${' in \"" + text + "\" (write $${ for a literal ${)"));
                    return new Result(text, false, true);
                }
                String ref = text.substring(i + 2, end).trim();
                String value;
                if (ref.startsWith("secret:")) {
                    String name = ref.substring("secret:".length()).trim();
                    Optional<String> s = secrets.resolve(name);
                    if (s.isEmpty()) {
                        problems.add(new Problem(
                                location,
                                "secret '" + name + "' is not defined (set DATAFLARE_SECRET_"
                                        + name.toUpperCase(java.util.Locale.ROOT)
                                                .replaceAll("[^A-Z0-9]", "_")
                                        + " or put a file named '" + name + "' in the secrets directory)"));
                        value = "";
                        unresolved = true;
                    } else {
                        value = s.get();
                        redactor.add(value);
                        secret = true;
                    }
                } else {
                    int dflt = ref.indexOf(":-");
                    String name = dflt < 0 ? ref : ref.substring(0, dflt);
                    String v = name.isEmpty() ? null : env.apply(name);
                    if (v == null && dflt >= 0) v = ref.substring(dflt + 2);
                    if (v == null) {
                        problems.add(new Problem(
                                location,
                                "environment variable '" + name + "' is not set (give a default with ${" + name
                                        + ":-value})"));
                        v = "";
                        unresolved = true;
                    }
                    value = v;
                }
                out.append(value);
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return new Result(out.toString(), secret, unresolved);
    }
}
