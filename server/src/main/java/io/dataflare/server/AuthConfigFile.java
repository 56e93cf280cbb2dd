package io.dataflare.server;

import io.dataflare.engine.config.ConfigNode;
import io.dataflare.engine.config.ListNode;
import io.dataflare.engine.config.MapNode;
import io.dataflare.engine.config.Problem;
import io.dataflare.engine.config.ScalarNode;
import io.dataflare.server.access.AuthSettings;
import io.dataflare.server.access.JwtSettings;
import io.dataflare.server.access.NamedToken;
import io.dataflare.server.access.RateLimit;
import io.dataflare.server.access.Role;
import io.dataflare.server.access.TaskPatterns;
import io.dataflare.server.http.Auth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the server config file's {@code auth:} (named tokens, JWT checking, rate limits). Token values arrive
 * already substituted ({@code ${secret:...}}) and are kept only as their SHA-256.
 */
final class AuthConfigFile {
    static final List<String> AUTH = List.of("tokens", "jwt", "rate_limits");
    static final List<String> TOKEN = List.of("name", "token", "token_sha256", "role", "tasks", "rate_limit");
    static final List<String> JWT =
            List.of("jwks", "public_key", "issuer", "audience", "name_claim", "role_claim", "tasks_claim");
    static final List<String> RATE = List.of("per_second", "burst");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9._*?-]{1,64}");

    private AuthConfigFile() {}

    static AuthSettings read(MapNode m, Path dir, List<Problem> problems) {
        ServerConfigFile.keys(m, AUTH, "auth", problems);
        List<NamedToken> tokens = new ArrayList<>();
        if (m.get("tokens") instanceof ListNode l) {
            Set<String> names = new HashSet<>();
            for (ConfigNode item : l.items()) {
                NamedToken t = token(item, problems);
                if (t == null) continue;
                if (!names.add(t.name()))
                    problems.add(new Problem(item.location(), "a token named '" + t.name() + "' is already defined"));
                else tokens.add(t);
            }
        } else if (m.has("tokens")) {
            problems.add(new Problem(
                    m.get("tokens").location(),
                    "'tokens' must be a list of { name, token (or token_sha256), role, tasks }"));
        }
        JwtSettings jwt = null;
        if (m.get("jwt") instanceof MapNode j) jwt = jwt(j, dir, problems);
        else if (m.has("jwt")) problems.add(new Problem(m.get("jwt").location(), "'jwt' must be a map"));
        RateLimit fallback = null;
        Map<Role, RateLimit> perRole = new EnumMap<>(Role.class);
        if (m.get("rate_limits") instanceof MapNode r) {
            for (MapNode.Entry e : r.entries()) {
                RateLimit limit = rate(e.value(), "rate_limits." + e.key(), problems);
                if (e.key().equals("default")) fallback = limit;
                else if (Role.named(e.key()) != null) {
                    if (limit != null) perRole.put(Role.named(e.key()), limit);
                } else
                    problems.add(new Problem(
                            r.keyLocation(e.key()),
                            "'" + e.key() + "' is not a key of rate_limits (keys: default, admin, operator, viewer)"));
            }
        } else if (m.has("rate_limits")) {
            problems.add(new Problem(
                    m.get("rate_limits").location(),
                    "'rate_limits' must be a map such as { default: { per_second: 50, burst: 100 } }"));
        }
        return new AuthSettings(tokens, jwt, fallback, perRole);
    }

    private static NamedToken token(ConfigNode n, List<Problem> problems) {
        if (!(n instanceof MapNode m)) {
            problems.add(new Problem(n.location(), "each token must be a map { name, token, role, tasks }"));
            return null;
        }
        int before = problems.size();
        ServerConfigFile.keys(m, TOKEN, "a token", problems);
        String name = m.has("name") ? ServerConfigFile.string(m.get("name"), "name", problems) : null;
        if (name == null && !m.has("name")) problems.add(new Problem(m.location(), "the token needs a 'name'"));
        String what = "token '" + (name == null ? "?" : name) + "'";
        String hash = null;
        if (m.has("token") == m.has("token_sha256")) {
            problems.add(new Problem(m.location(), what + " needs either 'token' or 'token_sha256'"));
        } else if (m.has("token")) {
            // the value itself (often from ${secret:...}) is hashed at once and never kept nor shown
            if (m.get("token") instanceof ScalarNode s
                    && s.value() instanceof String v
                    && v.trim().length() >= 16) hash = Auth.hash(v.trim());
            else
                problems.add(
                        new Problem(m.get("token").location(), what + ": 'token' must be a string of 16+ characters"));
        } else {
            String h = ServerConfigFile.string(m.get("token_sha256"), "token_sha256", problems);
            if (h != null && SHA256.matcher(h).matches()) hash = h.toLowerCase(Locale.ROOT);
            else if (h != null)
                problems.add(
                        new Problem(m.get("token_sha256").location(), what + ": 'token_sha256' must be 64 hex digits"));
        }
        Role role = null;
        if (!m.has("role"))
            problems.add(new Problem(m.location(), what + " needs a 'role' (admin, operator or viewer)"));
        else {
            String r = ServerConfigFile.string(m.get("role"), "role", problems);
            role = Role.named(r);
            if (r != null && role == null)
                problems.add(new Problem(
                        m.get("role").location(), what + ": role '" + r + "' is not admin, operator or viewer"));
        }
        TaskPatterns tasks = TaskPatterns.ALL;
        if (m.has("tasks")) {
            List<String> globs = new ArrayList<>();
            for (ConfigNode item : m.get("tasks") instanceof ListNode l ? l.items() : List.of(m.get("tasks"))) {
                String g = ServerConfigFile.string(item, "tasks", problems);
                if (g != null && GLOB.matcher(g).matches()) globs.add(g);
                else if (g != null)
                    problems.add(new Problem(
                            item.location(),
                            what + ": '" + g + "' is not a task pattern (letters, digits, '-', '_', '.', '*', '?')"));
            }
            tasks = new TaskPatterns(globs);
        }
        RateLimit rate = m.has("rate_limit") ? rate(m.get("rate_limit"), what + " rate_limit", problems) : null;
        if (problems.size() > before) return null;
        return new NamedToken(name, hash, role, tasks, rate);
    }

    private static JwtSettings jwt(MapNode m, Path dir, List<Problem> problems) {
        ServerConfigFile.keys(m, JWT, "jwt", problems);
        Path jwks = m.has("jwks") ? ServerConfigFile.path(m.get("jwks"), "jwks", dir, problems) : null;
        Path key = m.has("public_key") ? ServerConfigFile.path(m.get("public_key"), "public_key", dir, problems) : null;
        if ((jwks == null) == (key == null)) {
            problems.add(
                    new Problem(m.location(), "jwt needs either 'jwks' (a JWKS file) or 'public_key' (a PEM file)"));
            return null;
        }
        Path file = jwks != null ? jwks : key;
        if (!Files.isRegularFile(file))
            problems.add(new Problem(
                    m.get(jwks != null ? "jwks" : "public_key").location(),
                    "jwt key file " + file + " does not exist"));
        String issuer = null;
        if (m.has("issuer")) issuer = ServerConfigFile.string(m.get("issuer"), "issuer", problems);
        else problems.add(new Problem(m.location(), "jwt needs 'issuer' (the required iss claim)"));
        String audience = m.has("audience") ? ServerConfigFile.string(m.get("audience"), "audience", problems) : null;
        return new JwtSettings(
                jwks,
                key,
                issuer,
                audience,
                claim(m, "name_claim", "sub", problems),
                claim(m, "role_claim", "role", problems),
                claim(m, "tasks_claim", "tasks", problems));
    }

    private static String claim(MapNode m, String key, String fallback, List<Problem> problems) {
        return m.has(key) ? ServerConfigFile.string(m.get(key), key, problems) : fallback;
    }

    private static RateLimit rate(ConfigNode n, String what, List<Problem> problems) {
        if (!(n instanceof MapNode m) || !m.has("per_second")) {
            problems.add(new Problem(n.location(), what + " must be { per_second: N, burst: N }"));
            return null;
        }
        ServerConfigFile.keys(m, RATE, what, problems);
        long perSecond = ServerConfigFile.number(m.get("per_second"), "per_second", 1, 1_000_000, problems);
        long burst = m.has("burst")
                ? ServerConfigFile.number(m.get("burst"), "burst", 1, 1_000_000, problems)
                : Math.max(1, perSecond);
        return new RateLimit(perSecond, burst);
    }
}
