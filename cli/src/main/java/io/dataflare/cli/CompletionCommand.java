package io.dataflare.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dataflare completion bash}: the shell completion script picocli generates from the command tree, so it
 * follows every command and option as they are.
 */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = {
            "Prints the completion script for SHELL (bash; zsh loads it too, after 'autoload -U bashcompinit && bashcompinit').",
            "Install: dataflare completion bash > ~/.local/share/bash-completion/completions/dataflare"
        })
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    String shell;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            spec.commandLine().getErr().println("error: no completion for shell '" + shell + "' (bash or zsh)");
            return ExitCodes.INVALID;
        }
        spec.commandLine()
                .getOut()
                .print(AutoComplete.bash("dataflare", spec.root().commandLine()));
        return ExitCodes.OK;
    }
}
