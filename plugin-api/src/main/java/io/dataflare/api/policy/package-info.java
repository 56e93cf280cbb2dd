/**
 * Pluggable policies: what happens to a failure ({@link io.dataflare.api.policy.ErrorPolicy}), when to retry
 * ({@link io.dataflare.api.policy.RetryPolicy}) and which worker a keyed record goes to ({@link
 * io.dataflare.api.policy.KeyRouter}), each made by its factory.
 *
 * @since 1.0.0
 */
package io.dataflare.api.policy;
