package io.dataflare.server.access;

import java.util.List;
import java.util.Map;

/**
 * The config file's {@code auth:}: named tokens, optional JWT checking, and rate limits (per token, else per
 * role, else the default; none when no limit applies).
 */
public record AuthSettings(
        List<NamedToken> tokens, JwtSettings jwt, RateLimit defaultRateLimit, Map<Role, RateLimit> roleRateLimits) {
    public static final AuthSettings NONE = new AuthSettings(List.of(), null, null, Map.of());

    public AuthSettings {
        tokens = List.copyOf(tokens);
        roleRateLimits = Map.copyOf(roleRateLimits);
    }

    /** The rate limit of a caller with {@code role} and its own limit {@code own} (may be null), or null for none. */
    public RateLimit rateLimit(Role role, RateLimit own) {
        if (own != null) return own;
        RateLimit r = roleRateLimits.get(role);
        return r != null ? r : defaultRateLimit;
    }
}
