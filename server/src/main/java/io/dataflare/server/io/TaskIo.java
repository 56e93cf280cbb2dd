package io.dataflare.server.io;

/**
 * Where the built-in components find the queues and buffers of the task they run in: the server keeps them
 * per task (the run's pipeline name is the task id) and stage, so that they outlive a run.
 */
public interface TaskIo {
    /** The input of push source {@code stage} of task {@code task}, or null. */
    PushInput input(String task, String stage);

    /** The output of memory sink {@code stage} of task {@code task}, or null. */
    OutputBuffer output(String task, String stage);
}
