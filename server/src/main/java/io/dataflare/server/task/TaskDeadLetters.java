package io.dataflare.server.task;

import io.dataflare.api.data.Record;
import io.dataflare.engine.pipeline.StagePlan;
import io.dataflare.engine.pipeline.StageRole;
import io.dataflare.engine.replay.DeadLetter;
import io.dataflare.engine.runtime.PipelineRun;
import io.dataflare.server.io.OutputBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Puts a task's dead letters (kept by a {@code memory} dead-letter sink) back into its running pipeline after a
 * fix: each record into the stage that failed it, from where it flows on. A dead letter leaves the list only once
 * its stage has taken it; records that fail again are dead-lettered again, with the new reason.
 */
public final class TaskDeadLetters {
    private final TaskCatalog catalog;

    TaskDeadLetters(TaskCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * What a replay did.
     *
     * @param replayed    records put back, by stage
     * @param notReplayed dead letters left in the list, by stage: those of sources (bad input: fix the input and
     *                    send it again) and of stages the pipeline no longer has
     * @param offsets     the offsets of the dead letters put back (no longer listed)
     * @param remaining   dead letters still listed
     */
    public record Replayed(
            Map<String, Integer> replayed, Map<String, Integer> notReplayed, List<Long> offsets, int remaining) {}

    /**
     * Replays the dead letters of task {@code id} at {@code offsets} (their offsets in {@code GET
     * .../output?sink=dead_letter}), or every one it keeps when {@code offsets} is null.
     *
     * @throws TaskNotFoundException  when there is no such task, or a selected offset holds no dead letter
     * @throws TaskConflictException  when the task does not keep its dead letters (its dead-letter sink is not
     *                                {@code memory}) or is not running or paused
     */
    public Replayed replay(String id, Collection<Long> offsets) throws InterruptedException {
        catalog.refuseWhileShuttingDown();
        Task t = catalog.get(id);
        OutputBuffer letters = t.output(Task.DEAD_LETTER_STAGE);
        if (letters == null) {
            throw new TaskConflictException("task '" + id + "' does not keep its dead letters: only a memory"
                    + " dead-letter sink does (policies.errors.dead_letter: {use: memory}); replay a dead-letter file"
                    + " with dataflare replay");
        }
        // one replay at a time per task, and none across a start, stop or update
        synchronized (t) {
            PipelineRun run = t.run();
            TaskState state = t.state();
            if (!state.active() || run == null) {
                throw new TaskConflictException("task '" + id + "' is " + state + ": dead letters go back only into a"
                        + " RUNNING or PAUSED task (start it, then replay)");
            }
            SortedMap<Long, Record> chosen = offsets == null ? letters.held() : letters.held(offsets);
            if (offsets != null && chosen.size() < offsets.size()) {
                List<Long> missing = offsets.stream()
                        .filter(o -> !chosen.containsKey(o))
                        .distinct()
                        .sorted()
                        .toList();
                throw new TaskNotFoundException("task '" + id + "' holds no dead letter at offset(s) " + missing
                        + " (replayed already, or no longer kept)");
            }
            Map<String, List<Long>> byStage = new LinkedHashMap<>();
            Map<String, List<Record>> records = new LinkedHashMap<>();
            Map<String, Integer> notReplayed = new TreeMap<>();
            for (Map.Entry<Long, Record> e : chosen.entrySet()) {
                DeadLetter d = DeadLetter.of(e.getValue());
                StagePlan stage = d == null ? null : run.plan().stage(d.stage());
                if (stage == null || stage.role() == StageRole.SOURCE) {
                    notReplayed.merge(d == null ? "?" : d.stage(), 1, Integer::sum);
                    continue;
                }
                byStage.computeIfAbsent(d.stage(), k -> new ArrayList<>()).add(e.getKey());
                records.computeIfAbsent(d.stage(), k -> new ArrayList<>()).add(d.record());
            }
            Map<String, Integer> replayed = new TreeMap<>();
            List<Long> done = new ArrayList<>();
            for (Map.Entry<String, List<Record>> e : records.entrySet()) {
                try {
                    run.inject(e.getKey(), e.getValue());
                } catch (IllegalStateException ended) {
                    throw new TaskConflictException("task '" + id + "': " + ended.getMessage()
                            + (done.isEmpty() ? "" : "; " + done.size() + " dead letter(s) were put back before"));
                }
                // taken by the stage: only now do they leave the list
                List<Long> taken = byStage.get(e.getKey());
                letters.remove(taken);
                done.addAll(taken);
                replayed.put(e.getKey(), e.getValue().size());
            }
            return new Replayed(replayed, notReplayed, done, letters.held().size());
        }
    }
}
