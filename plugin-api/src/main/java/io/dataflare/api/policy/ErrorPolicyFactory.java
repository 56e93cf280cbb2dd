package io.dataflare.api.policy;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.PluginFactory;

/** Creates {@link ErrorPolicy}s. */
public interface ErrorPolicyFactory extends PluginFactory<ErrorPolicy> {
    @Override
    default ComponentKind kind() {
        return ComponentKind.ERROR_POLICY;
    }
}
