package io.dataflare.api;

import java.util.Locale;

/**
 * What a plugin component does in a pipeline. The three policy kinds all show as {@code policy} in a
 * manifest; the pipeline section they are used in ({@code retry:}, {@code errors:}, {@code routing:})
 * says which.
 *
 * @since 1.0.0
 */
public enum ComponentKind {
    /** Produces records ({@code sources:}). */
    SOURCE("source"),
    /** Consumes records ({@code sinks:}, and the dead-letter sink). */
    SINK("sink"),
    /** Turns a batch into another ({@code processors:}). */
    PROCESSOR("processor"),
    /** Decides whether and when to retry a failed call ({@code policies.retry}). */
    RETRY_POLICY("policy"),
    /** Decides what happens to a record that failed for good ({@code policies.errors.on_error}). */
    ERROR_POLICY("policy"),
    /** Picks the instance of a parallel stage for a key ({@code policies.routing.strategy}). */
    KEY_ROUTER("policy");

    private final String manifestKind;

    ComponentKind(String manifestKind) {
        this.manifestKind = manifestKind;
    }

    /** The kind as written in a manifest: {@code source}, {@code sink}, {@code processor} or {@code policy}. */
    public String manifestKind() {
        return manifestKind;
    }

    /** A label for messages, such as {@code retry policy}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
