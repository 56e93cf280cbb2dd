package io.dataflare.plugins.policies.errors;

import io.dataflare.api.policy.ErrorAction;
import org.pf4j.Extension;

/** The {@code dead-letter} error policy: {@link ErrorAction#DEAD_LETTER}. */
@Extension
public final class DeadLetterPolicyFactory extends FixedErrorPolicyFactory {
    /** The factory. */
    public DeadLetterPolicyFactory() {
        super("dead-letter", ErrorAction.DEAD_LETTER, "Writes failed records with the reason to the dead-letter sink");
    }
}
