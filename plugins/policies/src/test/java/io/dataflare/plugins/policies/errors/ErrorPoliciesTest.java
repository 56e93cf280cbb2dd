package io.dataflare.plugins.policies.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.policy.ErrorAction;
import io.dataflare.api.policy.ErrorPolicyFactory;
import io.dataflare.api.policy.Failure;
import io.dataflare.tck.SimplePluginContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorPoliciesTest {
    private static ErrorAction decide(ErrorPolicyFactory f) throws Exception {
        return f.create(SimplePluginContext.of(f, Map.of(), null))
                .decide(new Failure("invalid_record", "bad", null, 1, "s", "p@1.0.0"));
    }

    @Test
    void eachPolicyGivesItsAction() throws Exception {
        assertThat(decide(new SkipPolicyFactory())).isEqualTo(ErrorAction.SKIP);
        assertThat(decide(new DeadLetterPolicyFactory())).isEqualTo(ErrorAction.DEAD_LETTER);
        assertThat(decide(new AbortPolicyFactory())).isEqualTo(ErrorAction.ABORT);
    }

    @Test
    void namesAndKindsAreTheContract() {
        assertThat(new SkipPolicyFactory().name()).isEqualTo("skip");
        assertThat(new DeadLetterPolicyFactory().name()).isEqualTo("dead-letter");
        assertThat(new AbortPolicyFactory().name()).isEqualTo("abort");
        assertThat(new AbortPolicyFactory().kind()).isEqualTo(ComponentKind.ERROR_POLICY);
    }
}
