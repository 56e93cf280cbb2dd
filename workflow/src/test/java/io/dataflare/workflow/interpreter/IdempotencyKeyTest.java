package io.dataflare.workflow.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.workflow.TestTasks;
import io.dataflare.workflow.validation.Definitions;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code $$.Task.IdempotencyKey}: the key of the attempt, for plugins that get only their record. */
class IdempotencyKeyTest {
    @Test
    void parametersCanPassTheAttemptsKeyToTheTask() throws Exception {
        var machine = Definitions.parse("""
                {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "test:fail:Once:1",
                  "Parameters": {"key.$": "$$.Task.IdempotencyKey"},
                  "Retry": [{"ErrorEquals": ["Once"], "IntervalSeconds": 1}], "End": true}}}
                """, "key.asl.json", false, TestTasks.CHECK);
        TestTasks tasks = new TestTasks();
        ExecutionResult r = new WorkflowEngine(tasks, new VirtualClock(Instant.EPOCH), new InMemoryHistory())
                .run(machine, "k1", new ObjectMapper().createObjectNode());
        assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(tasks.calls).hasSize(2);
        for (TaskRequest call : tasks.calls)
            assertThat(call.input().get("key").asText()).isEqualTo(call.idempotencyKey());
        assertThat(r.output().get("key").asText()).isEqualTo("k1:/0/T#1");
    }
}
