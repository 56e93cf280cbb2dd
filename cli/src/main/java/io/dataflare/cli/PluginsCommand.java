package io.dataflare.cli;

import picocli.CommandLine.Command;

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
final class PluginsCommand extends CommandGroup {}
