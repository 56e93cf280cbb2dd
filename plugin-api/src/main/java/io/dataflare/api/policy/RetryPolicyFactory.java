package io.dataflare.api.policy;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.PluginFactory;

/**
 * Creates {@link RetryPolicy}s; named by a pipeline's {@code policies.retry.use}.
 *
 * @since 1.0.0
 */
public interface RetryPolicyFactory extends PluginFactory<RetryPolicy> {
    @Override
    default ComponentKind kind() {
        return ComponentKind.RETRY_POLICY;
    }
}
