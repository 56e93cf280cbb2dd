package io.dataflare.server.http;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.dataflare.server.access.AuthSettings;
import io.dataflare.server.access.JwtSettings;
import io.dataflare.server.access.Role;
import io.dataflare.server.access.TaskPatterns;
import java.io.IOException;
import java.nio.file.Files;
import java.text.ParseException;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks JWT bearer tokens (nimbus-jose-jwt): the signature against the configured keys (RSA or EC), the
 * issuer, the audience when one is configured, and the expiry (required; 60 s of clock skew allowed). The caller
 * comes from the configured claims: its name, its role, the tasks it may touch.
 */
final class JwtVerifier {
    private final JwtSettings settings;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final AuthSettings auth;

    /** @throws IllegalArgumentException when the keys cannot be read (naming the file) */
    JwtVerifier(JwtSettings settings, AuthSettings auth) {
        this.settings = settings;
        this.auth = auth;
        JWKSet keys = keys(settings);
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        algorithms.addAll(JWSAlgorithm.Family.RSA);
        algorithms.addAll(JWSAlgorithm.Family.EC);
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, new ImmutableJWKSet<>(keys)));
        Set<String> required = new HashSet<>(List.of("exp", "iss", settings.nameClaim(), settings.roleClaim()));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                settings.audience(),
                new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
                required));
    }

    /** The caller a valid token names; {@link RequestException} 401 naming why otherwise. */
    Caller verify(String token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException | BadJOSEException | JOSEException | RuntimeException e) {
            throw RequestException.unauthorized("the token is not valid (JWT: " + e.getMessage() + ")");
        }
        String name = text(claims, settings.nameClaim());
        Role role = Role.named(text(claims, settings.roleClaim()));
        if (name == null || role == null)
            throw RequestException.unauthorized("the token is not valid (JWT: claim '" + settings.roleClaim()
                    + "' must be admin, operator or viewer and '" + settings.nameClaim() + "' a string)");
        TaskPatterns tasks = TaskPatterns.ALL;
        Object t = claims.getClaim(settings.tasksClaim());
        if (t instanceof String s) tasks = new TaskPatterns(List.of(s.split(",")));
        else if (t instanceof List<?> l)
            tasks = new TaskPatterns(l.stream().map(String::valueOf).toList());
        else if (t != null)
            throw RequestException.unauthorized(
                    "the token is not valid (JWT: claim '" + settings.tasksClaim() + "' must be a string or a list)");
        return new Caller(name, role, tasks, auth.rateLimit(role, null));
    }

    private static String text(JWTClaimsSet claims, String claim) {
        return claims.getClaim(claim) instanceof String s && !s.isBlank() ? s : null;
    }

    private static JWKSet keys(JwtSettings s) {
        try {
            if (s.jwks() != null) return JWKSet.load(s.jwks().toFile());
            JWK key = JWK.parseFromPEMEncodedObjects(Files.readString(s.publicKey()));
            return new JWKSet(key);
        } catch (IOException | ParseException | JOSEException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "auth.jwt: cannot read the keys of " + (s.jwks() != null ? s.jwks() : s.publicKey()) + ": "
                            + e.getMessage(),
                    e);
        }
    }
}
