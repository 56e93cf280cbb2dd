package io.dataflare.server.task;

/** Told of every change of a task's state (for the audit log); called on the thread that changed it. */
@FunctionalInterface
public interface TaskStateListener {
    void changed(String task, TaskState from, TaskState to, String error);
}
