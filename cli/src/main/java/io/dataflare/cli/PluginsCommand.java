package io.dataflare.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code dataflare plugins ...}: what is installed, why something did not load, checking, installing and signing
 * plugin files.
 */
@Command(
        name = "plugins",
        mixinStandardHelpOptions = true,
        description = "Lists, inspects, verifies, installs and signs plugins.",
        subcommands = {
            PluginsListCommand.class,
            PluginsInfoCommand.class,
            PluginsVerifyCommand.class,
            PluginsInstallCommand.class,
            PluginsKeygenCommand.class,
            PluginsSignCommand.class
        })
final class PluginsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCodes.OK;
    }
}
