package io.dataflare.server.access;

import java.nio.file.Path;

/**
 * How JWT bearer tokens are checked ({@code auth.jwt}): the signing keys (a JWKS file, or one public key in PEM),
 * the issuer and audience required, and the claims naming the caller, its role and the tasks it may touch.
 *
 * @param jwks       a JWKS file (JSON), or null
 * @param publicKey  a PEM public key file, or null (exactly one of the two)
 * @param issuer     the required {@code iss}
 * @param audience   the required {@code aud}, or null for any
 * @param nameClaim  the claim naming the caller (default {@code sub})
 * @param roleClaim  the claim holding the role (default {@code role})
 * @param tasksClaim the claim holding the task patterns, a string or a list (default {@code tasks}; absent: all)
 */
public record JwtSettings(
        Path jwks,
        Path publicKey,
        String issuer,
        String audience,
        String nameClaim,
        String roleClaim,
        String tasksClaim) {}
