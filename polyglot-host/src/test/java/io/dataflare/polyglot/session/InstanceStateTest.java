package io.dataflare.polyglot.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code ctx.state} is transactional per call: a call's writes count only when the call succeeds. */
class InstanceStateTest {
    @Test
    void aCallSeesItsOwnWritesAndTheyStayWhenItCommits() {
        InstanceState s = new InstanceState();
        s.set("a", "1");
        s.set("b", "2");
        s.commit();

        s.set("a", "10");
        s.delete("b");
        s.set("c", "3");
        assertThat(s.get("a")).isEqualTo("10");
        assertThat(s.get("b")).isNull();
        assertThat(s.get("c")).isEqualTo("3");
        s.delete("c");
        assertThat(s.get("c")).isNull();
        s.set("b", "20");
        assertThat(s.get("b")).isEqualTo("20");
        s.commit();

        assertThat(s.get("a")).isEqualTo("10");
        assertThat(s.get("b")).isEqualTo("20");
        assertThat(s.get("c")).isNull();
        assertThat(s.size()).isEqualTo(2);
    }

    @Test
    void aFailedCallLeavesTheStateExactlyAsBefore() {
        InstanceState s = new InstanceState();
        s.set("seen:1", "true");
        s.commit();

        s.set("seen:2", "true"); // a new key
        s.set("seen:1", "false"); // an overwrite
        s.delete("seen:1"); // and a delete
        s.rollback();

        assertThat(s.get("seen:1")).isEqualTo("true");
        assertThat(s.get("seen:2")).isNull();
        assertThat(s.size()).isEqualTo(1);
        s.commit(); // nothing pending: changes nothing
        assertThat(s.get("seen:2")).isNull();
    }

    @Test
    void theKeyLimitCountsKeysAddedInTheCall() {
        InstanceState s = new InstanceState(3);
        s.set("a", "1");
        s.set("b", "1");
        s.commit();
        s.set("c", "1");
        assertThatThrownBy(() -> s.set("d", "1")).hasMessageContaining("3 keys");
        s.set("a", "2"); // an existing key is no new key
        s.delete("c");
        s.set("d", "1"); // c's place, freed in this call
        s.commit();
        assertThat(s.size()).isEqualTo(3);
        s.rollback();
        s.delete("a");
        s.rollback();
        assertThatThrownBy(() -> s.set("e", "1"))
                .as("a rolled-back delete frees nothing")
                .hasMessageContaining("3 keys");
    }
}
