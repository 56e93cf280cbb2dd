package io.dataflare.plugins.policies.errors;

import io.dataflare.api.policy.ErrorAction;
import org.pf4j.Extension;

/** The {@code skip} error policy: {@link ErrorAction#SKIP}. */
@Extension
public final class SkipPolicyFactory extends FixedErrorPolicyFactory {
    /** The factory. */
    public SkipPolicyFactory() {
        super("skip", ErrorAction.SKIP, "Drops failed records, counting them as skipped");
    }
}
