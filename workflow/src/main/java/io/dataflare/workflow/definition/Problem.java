package io.dataflare.workflow.definition;

/** One thing wrong with a definition, where it is: printed as {@code file:line:column: message}. */
public record Problem(Location location, String message) {
    @Override
    public String toString() {
        return location + ": " + message;
    }
}
