package io.dataflare.engine.plugin.resolve;

/**
 * A plugin's dependencies cannot be satisfied. The message names the whole chain from the plugin to
 * the dependency that fails, e.g. {@code a@1.2.0 -> b@^2 : only b@1.4.0 installed}.
 */
public final class UnresolvedDependencyException extends Exception {
    private static final long serialVersionUID = 1L;

    public UnresolvedDependencyException(String chain) {
        super(chain);
    }
}
