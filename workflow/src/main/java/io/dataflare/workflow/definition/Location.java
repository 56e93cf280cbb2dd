package io.dataflare.workflow.definition;

/** Where something is in a definition file: printed as {@code file:line:column}. */
public record Location(String file, int line, int column) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
