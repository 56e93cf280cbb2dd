package io.dataflare.server.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Bearer-token authentication: the request's token must hash (SHA-256) to the server's. Compared in constant time. */
public final class Auth {
    private final byte[] tokenHash;

    /** Checks tokens against {@code tokenSha256} (hex). */
    public Auth(String tokenSha256) {
        this.tokenHash = HexFormat.of().parseHex(tokenSha256);
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

    /** Answers 401 unless the request carries the token; puts the {@link Caller} on {@code ctx}. */
    Caller check(Context ctx) {
        String header = ctx.header("Authorization");
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim()
                : null;
        if (token == null || token.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"dataflare\"");
            throw RequestException.unauthorized("this route needs a token: send Authorization: Bearer TOKEN");
        }
        if (!MessageDigest.isEqual(HexFormat.of().parseHex(hash(token)), tokenHash)) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"dataflare\", error=\"invalid_token\"");
            throw RequestException.unauthorized("the token is not valid");
        }
        Caller.ADMIN.attachTo(ctx);
        return Caller.ADMIN;
    }
}
