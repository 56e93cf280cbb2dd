package io.dataflare.api.policy;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.PluginFactory;

/**
 * Creates {@link ErrorPolicy}s.
 *
 * @since 1.0.0
 */
public interface ErrorPolicyFactory extends PluginFactory<ErrorPolicy> {
    @Override
    default ComponentKind kind() {
        return ComponentKind.ERROR_POLICY;
    }
}
