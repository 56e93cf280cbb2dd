package io.dataflare.plugins.policies.errors;

import io.dataflare.api.policy.ErrorAction;
import org.pf4j.Extension;

/** The {@code abort} error policy: {@link ErrorAction#ABORT}. */
@Extension
public final class AbortPolicyFactory extends FixedErrorPolicyFactory {
    /** The factory. */
    public AbortPolicyFactory() {
        super("abort", ErrorAction.ABORT, "Fails the pipeline at the first failed record, keeping its last checkpoint");
    }
}
