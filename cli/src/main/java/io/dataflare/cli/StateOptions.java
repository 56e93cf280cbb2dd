package io.dataflare.cli;

import io.dataflare.engine.config.Location;
import io.dataflare.engine.config.Problem;
import io.dataflare.engine.state.EncryptionKeys;
import io.dataflare.engine.state.StateEncryption;
import io.dataflare.engine.state.StateStore;
import io.dataflare.engine.state.StateStores;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The {@code --state-dir} and {@code --state} options ({@code run}, {@code validate}): where checkpoints
 * are kept. Checked before anything runs, so that a mistyped URL is reported instead of becoming a
 * directory.
 */
public final class StateOptions {
    static final String DEFAULT_DIR = ".dataflare/state";

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            defaultValue = DEFAULT_DIR,
            description = "Where checkpoints are kept (default: ${DEFAULT-VALUE}).")
    String stateDir;

    @Option(
            names = "--state",
            paramLabel = "URL",
            description =
                    "A state store instead of --state-dir: jdbc:sqlite:FILE, jdbc:postgresql://HOST/DB?user=..., memory: (no"
                            + " checkpoints survive), or a directory (DIR or file:DIR).")
    String stateUrl;

    /** The store's description: {@code --state}, else {@code --state-dir}. */
    public String spec() {
        return stateUrl != null ? stateUrl : stateDir;
    }

    /** What is wrong with the options, as a problem located at the option's name; empty when they are usable. */
    public Optional<Problem> problem() {
        try {
            StateStores.check(spec());
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(
                    new Problem(new Location(stateUrl != null ? "--state" : "--state-dir", 0, 0), e.getMessage()));
        }
    }

    /**
     * Opens the store (after {@link #problem()} found nothing wrong), encrypting with the keys of
     * {@code DATAFLARE_ENCRYPTION_KEY} / {@code DATAFLARE_ENCRYPTION_KEY_FILE} when set.
     */
    public StateStore open() {
        EncryptionKeys keys = EncryptionKeys.fromEnvironment(System::getenv);
        StateStore raw = StateStores.open(spec());
        try {
            return StateEncryption.protect(raw, keys);
        } catch (RuntimeException e) {
            raw.close();
            throw e;
        }
    }
}
