package io.dataflare.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands ({@code dataflare plugins}, {@code dataflare task}...): alone, it prints its usage. */
public abstract class CommandGroup implements Runnable {
    @Spec
    protected CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
