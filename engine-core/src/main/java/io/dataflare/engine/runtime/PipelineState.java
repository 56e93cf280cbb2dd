package io.dataflare.engine.runtime;

/**
 * The lifecycle of a pipeline run: CREATED -> READY (plugins instantiated) -> RUNNING <-> PAUSED ->
 * STOPPED (stopped on request, after draining) | COMPLETED (every source exhausted and every record
 * delivered) | FAILED.
 */
public enum PipelineState {
    CREATED,
    READY,
    RUNNING,
    PAUSED,
    STOPPED,
    COMPLETED,
    FAILED;

    /** Whether the run is over. */
    public boolean isTerminal() {
        return this == STOPPED || this == COMPLETED || this == FAILED;
    }
}
