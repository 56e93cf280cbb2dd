package io.dataflare.server.http;

import io.dataflare.server.access.AuthSettings;
import io.dataflare.server.access.NamedToken;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Bearer-token authentication: the admin token, the named tokens of {@code auth.tokens} (each compared by its
 * SHA-256, in constant time) and, when configured, JWTs. Tokens are never logged nor kept in clear.
 */
public final class Auth {
    private final byte[] adminHash;
    private final List<NamedToken> tokens;
    private final JwtVerifier jwt;
    private final Caller admin;
    private final AuthSettings settings;

    /** Checks tokens against {@code tokenSha256} (hex), the admin token, only. */
    public Auth(String tokenSha256) {
        this(tokenSha256, AuthSettings.NONE);
    }

    /**
     * Checks the admin token ({@code adminSha256}, hex) and what {@code settings} configures.
     *
     * @throws IllegalArgumentException when the JWT keys cannot be read
     */
    public Auth(String adminSha256, AuthSettings settings) {
        this.adminHash = HexFormat.of().parseHex(adminSha256);
        this.settings = settings;
        this.tokens = settings.tokens();
        this.jwt = settings.jwt() == null ? null : new JwtVerifier(settings.jwt(), settings);
        this.admin = new Caller(
                "admin", Caller.ADMIN.role(), Caller.ADMIN.tasks(), settings.rateLimit(Caller.ADMIN.role(), null));
    }

    /** The SHA-256 of a token, in hex (what the state store keeps). */
    public static String hash(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Answers 401 unless the request carries a valid token; puts the {@link Caller} on {@code ctx}. */
    Caller check(Context ctx) {
        String header = ctx.header("Authorization");
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim()
                : null;
        if (token == null || token.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"dataflare\"");
            throw RequestException.unauthorized("this route needs a token: send Authorization: Bearer TOKEN");
        }
        Caller caller;
        try {
            caller = identify(token);
        } catch (RequestException e) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"dataflare\", error=\"invalid_token\"");
            throw e;
        }
        caller.attachTo(ctx);
        return caller;
    }

    private Caller identify(String token) {
        byte[] hash = HexFormat.of().parseHex(hash(token));
        if (MessageDigest.isEqual(hash, adminHash)) return admin;
        NamedToken found = null;
        for (NamedToken t : tokens) {
            // every entry compared, so the time taken does not tell which one matched
            if (MessageDigest.isEqual(hash, HexFormat.of().parseHex(t.sha256())) && found == null) found = t;
        }
        if (found != null)
            return new Caller(
                    found.name(), found.role(), found.tasks(), settings.rateLimit(found.role(), found.rateLimit()));
        if (jwt != null && token.chars().filter(c -> c == '.').count() == 2) return jwt.verify(token);
        throw RequestException.unauthorized("the token is not valid");
    }
}
