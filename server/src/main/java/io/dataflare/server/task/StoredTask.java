package io.dataflare.server.task;

import java.time.Instant;
import java.util.List;

/**
 * A task as the state store keeps it (namespace {@code tasks}, key = task id, JSON): its pipeline as submitted
 * and its lifecycle state, so that a restarted server comes back with the same tasks in the same states.
 *
 * @param attachments files being fed into the task, with how many records were queued from each
 */
record StoredTask(
        TaskSpec spec,
        TaskState state,
        String error,
        Instant createdAt,
        Instant updatedAt,
        List<AttachmentRecord> attachments) {
    StoredTask {
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /**
     * One attached file.
     *
     * @param read  records queued from it so far (a restarted attachment skips them)
     * @param state {@code running}, {@code done} or {@code failed}
     */
    record AttachmentRecord(int id, String path, String format, String source, long read, String state, String error) {}
}
