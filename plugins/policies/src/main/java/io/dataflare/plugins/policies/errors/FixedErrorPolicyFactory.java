package io.dataflare.plugins.policies.errors;

import io.dataflare.api.PluginContext;
import io.dataflare.api.policy.ErrorAction;
import io.dataflare.api.policy.ErrorPolicy;
import io.dataflare.api.policy.ErrorPolicyFactory;

/** An error policy that gives every failed record the same action. */
abstract class FixedErrorPolicyFactory implements ErrorPolicyFactory {
    private final String name;
    private final ErrorAction action;
    private final String description;

    FixedErrorPolicyFactory(String name, ErrorAction action, String description) {
        this.name = name;
        this.action = action;
        this.description = description;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final ErrorPolicy create(PluginContext ctx) {
        ErrorAction a = action;
        return failure -> a;
    }
}
