package io.dataflare.cli;

import io.dataflare.engine.state.EncryptionKeys;
import io.dataflare.engine.state.StateEncryption;
import io.dataflare.engine.state.StateIntegrityException;
import io.dataflare.engine.state.StateStore;
import io.dataflare.engine.state.StateStores;
import io.dataflare.engine.state.keyed.SnapshotEncryption;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dataflare state ...}: the state store itself. */
@Command(
        name = "state",
        mixinStandardHelpOptions = true,
        description = "Works on a state store (a server's --state-dir, or a run's).",
        subcommands = StateCommand.Rekey.class)
final class StateCommand extends CommandGroup {
    /** {@code dataflare state rekey}: everything re-encrypted with the newest key. */
    @Command(
            name = "rekey",
            mixinStandardHelpOptions = true,
            description = {
                "Re-encrypts the state store with the newest key of DATAFLARE_ENCRYPTION_KEY / DATAFLARE_ENCRYPTION_KEY_FILE:",
                "values, log records (push spools) and keyed-state snapshot files made with an older key, or stored in clear,",
                "are rewritten with it. Keep the old keys configured until it has run; then they can be removed.",
                "Run it while no server or pipeline uses the store.",
                "Exit code: 0 done, 2 no key configured, a key is malformed, or something cannot be decrypted (named)."
            })
    static final class Rekey implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StateOptions state;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (state.problem().isPresent()) {
                err.println("error: " + state.problem().get().message());
                return ExitCodes.INVALID;
            }
            EncryptionKeys keys;
            try {
                keys = EncryptionKeys.fromEnvironment(System::getenv);
            } catch (IllegalArgumentException e) {
                err.println("error: " + e.getMessage());
                return ExitCodes.INVALID;
            }
            if (keys.isEmpty()) {
                err.println("error: no encryption key: set " + EncryptionKeys.KEY_VARIABLE + " or "
                        + EncryptionKeys.KEY_FILE_VARIABLE + " (the newest key last)");
                return ExitCodes.INVALID;
            }
            try (StateStore raw = StateStores.open(state.spec())) {
                StateEncryption.Rekeyed r = StateEncryption.rekey(raw, keys);
                int files = SnapshotEncryption.rekey(raw, keys);
                out.println("re-encrypted with key " + r.keyId() + ": " + r.values() + " value(s), " + r.logRecords()
                        + " log record(s), " + files + " snapshot file(s) in " + raw.describe());
                return ExitCodes.OK;
            } catch (StateIntegrityException e) {
                err.println("error: " + e.getMessage() + "; the store was left as it was from there on");
                return ExitCodes.INVALID;
            }
        }
    }
}
