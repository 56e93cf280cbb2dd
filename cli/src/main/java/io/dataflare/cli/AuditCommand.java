package io.dataflare.cli;

import io.dataflare.server.audit.AuditVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dataflare audit ...}: the server's audit log. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Checks the task server's audit log.",
        subcommands = AuditCommand.Verify.class)
final class AuditCommand extends CommandGroup {
    /** {@code dataflare audit verify FILE...}: the hash chain of audit log files. */
    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = {
                "Checks the hash chain of audit log files: every line carries the SHA-256 of the line before it, so a line",
                "changed, removed or inserted breaks the chain. Give rotated files oldest first to check the links between",
                "them too (audit.log.1 audit.log.2 ... audit.log).",
                "Exit code: 0 the chain is intact, 1 it is broken (the first broken line is named FILE:LINE), 2 a file cannot be read."
            })
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", arity = "1..*", description = "Audit log files, oldest first.")
        List<Path> files;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            for (Path f : files) {
                if (!Files.isRegularFile(f)) {
                    err.println("error: " + f + " is not a file");
                    return ExitCodes.INVALID;
                }
            }
            AuditVerifier.Result r;
            try {
                r = AuditVerifier.verify(files);
            } catch (IOException e) {
                err.println("error: cannot read: " + e);
                return ExitCodes.INVALID;
            }
            if (!r.intact()) {
                out.println(r.file() + ":" + r.line() + ": broken chain: " + r.reason());
                return ExitCodes.FAILED;
            }
            out.println("intact: " + r.lines() + " line(s) in " + files.size() + " file(s)"
                    + (r.startsAfter() == null
                            ? ""
                            : "; the first line continues an earlier file (whose last line hashes to " + r.startsAfter()
                                    + ")"));
            return ExitCodes.OK;
        }
    }
}
