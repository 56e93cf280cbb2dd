package io.dataflare.cli;

import io.dataflare.engine.Engine;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.pipeline.PipelineValidator;
import io.dataflare.engine.replay.DeadLetter;
import io.dataflare.engine.replay.DeadLetterFile;
import io.dataflare.engine.replay.Replay;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dataflare replay DLQ --into PIPELINE}: feeds dead letters back into the stages that failed them. */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Re-injects the dead letters of a JSON-lines dead-letter file into the stages of PIPELINE that failed them,"
                    + " after a fix; their downstream stages run, the sources do not. Sinks with an 'append' option append.",
            "Records that fail again go to a new dead-letter file; dead letters of sources (bad input) are counted, not replayed.",
            "Exit code: 0 COMPLETED, 1 FAILED, 2 invalid pipeline or dead-letter file."
        })
final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(
            paramLabel = "DLQ",
            description = "The dead-letter file (JSON lines, as the jsonl-file dead-letter sink writes it).")
    Path deadLetters;

    @Option(
            names = "--into",
            required = true,
            paramLabel = "PIPELINE",
            description = "The pipeline file to replay into.")
    Path pipeline;

    @Option(
            names = "--dead-letter",
            paramLabel = "FILE",
            description = "Where records that fail again go (default: DLQ name + .replay.jsonl).")
    Path again;

    @Mixin
    PluginFolders folders;

    @Option(names = "--json", description = "Print the summary as one JSON object on the last line of output.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path target = again != null ? again : defaultTarget(deadLetters);
        if (target.toAbsolutePath()
                .normalize()
                .equals(deadLetters.toAbsolutePath().normalize())) {
            err.println("error: --dead-letter must not be the file being replayed");
            return ExitCodes.INVALID;
        }
        try (Engine engine = folders.pipelineEngine(false)) {
            Replay replay;
            try {
                // The sources do not run in a replay: their inputs need not be there any more.
                PipelinePlan plan = engine.load(pipeline, PipelineValidator.Scope.DEFINITION);
                List<DeadLetter> letters = DeadLetterFile.read(deadLetters);
                replay = Replay.plan(plan, letters, target, deadLetters, engine.plugins());
            } catch (InvalidConfigException e) {
                return Problems.print(e, err);
            }
            replay.notReplayed()
                    .forEach((stage, n) -> err.println("not replayed: " + n + " dead letter(s) of source '" + stage
                            + "' (bad input: fix the input and run the pipeline again)"));
            if (replay.replayed().isEmpty()) {
                err.println("nothing to replay");
                return ExitCodes.OK;
            }
            replay.replayed()
                    .forEach((stage, n) -> err.println("replaying " + n + " dead letter(s) into '" + stage + "'"));
            PipelineResult result = engine.run(replay.plan());
            if (result.stats().deadLettered() > 0)
                err.println(result.stats().deadLettered() + " record(s) failed again: " + target);
            if (json) RunSummary.printJson(result, out);
            else RunSummary.printText(result, spec.commandLine().getErr());
            return result.state() == PipelineState.FAILED ? ExitCodes.FAILED : ExitCodes.OK;
        }
    }

    private static Path defaultTarget(Path dlq) {
        String name = dlq.getFileName().toString();
        String base = name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
        return dlq.resolveSibling(base + ".replay.jsonl");
    }
}
