package io.dataflare.engine.pipeline;

import io.dataflare.api.ComponentKind;

/** The three sections of stages in a pipeline file. */
public enum StageRole {
    SOURCE("sources", ComponentKind.SOURCE),
    PROCESSOR("processors", ComponentKind.PROCESSOR),
    SINK("sinks", ComponentKind.SINK);

    private final String section;
    private final ComponentKind kind;

    StageRole(String section, ComponentKind kind) {
        this.section = section;
        this.kind = kind;
    }

    /** The section key in the pipeline file. */
    public String section() {
        return section;
    }

    /** The component kind its {@code use:} must name. */
    public ComponentKind kind() {
        return kind;
    }

    /** "source", "processor" or "sink". */
    public String label() {
        return kind.label();
    }
}
