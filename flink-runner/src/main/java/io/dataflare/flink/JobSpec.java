package io.dataflare.flink;

import java.io.Serializable;
import java.util.List;

/**
 * What every task of the job needs to rebuild the pipeline where it runs: the pipeline file and the plugin folders
 * to resolve its plugins from. Each task manager loads the plan once per job (see {@link TaskPlans}); the
 * pipeline's plugin instances never travel in the job graph.
 *
 * @param pipelineFile the pipeline file, absolute
 * @param pluginDirs   the plugin folders, absolute, in the order the registry reads them
 * @param batchSize    records per plugin call (the pipeline's {@code runtime.batch_size})
 * @param maxWaitMs    the longest a partial batch waits for more records ({@code runtime.max_wait_ms})
 */
record JobSpec(String pipelineFile, List<String> pluginDirs, int batchSize, long maxWaitMs) implements Serializable {
    JobSpec {
        pluginDirs = List.copyOf(pluginDirs);
    }
}
