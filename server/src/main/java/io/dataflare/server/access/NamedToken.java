package io.dataflare.server.access;

/**
 * A token of {@code auth.tokens}: its name (the audit log's "who"), the SHA-256 of its value (the value itself is
 * never kept), its role, the tasks it may touch, and its own rate limit (or null: its role's or the default).
 */
public record NamedToken(String name, String sha256, Role role, TaskPatterns tasks, RateLimit rateLimit) {}
