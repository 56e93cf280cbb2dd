package io.dataflare.flink;

import java.io.Serializable;

/**
 * What every task of the job needs to rebuild the pipeline where it runs: the pipeline's text (relative paths in it
 * resolve against {@code baseDir}, as in a local run) and the plugin bundle shipped with the job. Each task manager
 * loads the plan once per job (see {@link TaskPlans}); the pipeline's plugin instances never travel in the job graph.
 *
 * @param pipelineText the pipeline file's text
 * @param source       the pipeline file's name, for messages and the format (YAML, JSON, TOML)
 * @param baseDir      the pipeline file's folder, absolute
 * @param bundle       the hash of the job's {@link PluginBundle}
 * @param folders      how many plugin folders the bundle holds
 * @param batchSize    records per plugin call (the pipeline's {@code runtime.batch_size})
 * @param maxWaitMs    the longest a partial batch waits for more records ({@code runtime.max_wait_ms})
 */
record JobSpec(
        String pipelineText, String source, String baseDir, String bundle, int folders, int batchSize, long maxWaitMs)
        implements Serializable {}
