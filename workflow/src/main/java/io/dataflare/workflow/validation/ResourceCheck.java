package io.dataflare.workflow.validation;

/** Checks a Task's Resource before anything runs (that the plugin it names exists, say). */
@FunctionalInterface
public interface ResourceCheck {
    /** Why {@code resource} cannot be used, or null when it can. */
    String problem(String resource);

    /** Accepts every resource. */
    ResourceCheck ANY = r -> null;
}
