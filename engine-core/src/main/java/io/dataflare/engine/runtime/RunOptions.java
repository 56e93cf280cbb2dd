package io.dataflare.engine.runtime;

import io.dataflare.engine.checkpoint.CheckpointStore;

/**
 * How a run treats checkpoints.
 *
 * @param checkpoints where checkpoints are kept, or null for none (nothing survives a crash)
 * @param resume      whether to resume from the pipeline's last checkpoint (false: start over and
 *                    discard it)
 * @param key         the name the checkpoint is kept under (the pipeline name, or a task id)
 */
public record RunOptions(CheckpointStore checkpoints, boolean resume, String key) {
    /** No checkpoints. */
    public static final RunOptions NONE = new RunOptions(null, false, null);
}
