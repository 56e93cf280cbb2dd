package io.dataflare.polyglot;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the hostile-script tests of each language share: one engine for the class (Graal engines and Python
 * contexts are slow to start), a well-behaved JavaScript stage beside each hostile one, and
 * {@link #contained}, which runs a script on three records and checks it was contained.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HostileScriptTest {
    Path dir;
    ScriptPipelines pipelines;
    HostileRuns runs;

    /** {@code javascript} or {@code python}, as plugin labels say. */
    abstract String language();

    /** The {@code timeout_ms} the cases run with. */
    abstract long timeoutMs();

    @BeforeAll
    void start(@TempDir Path tempDir) {
        dir = tempDir;
        pipelines = new ScriptPipelines(dir);
        pipelines.file("fine.js", "export function map(r) { return r; }\n");
        runs = new HostileRuns(pipelines, "fine.js");
    }

    @AfterAll
    void stop() {
        pipelines.close();
    }

    /** Runs {@code script} (file {@code name}) on three records and checks each was dead-lettered with {@code errorClass}. */
    void contained(String name, String script, String errorClass, String message) throws Exception {
        HostileRuns.Outcome o = runs.run(name, script, 3, "timeout_ms: " + timeoutMs());
        String id = name.substring(0, name.lastIndexOf('.'));
        HostileRuns.assertContained(o, 3, errorClass, language() + " plugin " + id + "@0.0.0", message);
    }
}
