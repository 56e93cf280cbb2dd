package io.dataflare.server.task;

/**
 * A task declared in the server's config file, already compiled.
 *
 * @param enabled whether to start it when the server first creates it
 */
public record DeclaredTask(TaskSpec spec, TaskCompiler.Compiled compiled, boolean enabled) {}
