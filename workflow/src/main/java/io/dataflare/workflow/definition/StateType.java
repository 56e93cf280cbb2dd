package io.dataflare.workflow.definition;

/** The state types. */
public enum StateType {
    Task,
    Pass,
    Choice,
    Wait,
    Parallel,
    Map,
    Succeed,
    Fail;

    /** Whether a state of this type ends its machine by itself (no Next, no End). */
    public boolean terminal() {
        return this == Succeed || this == Fail;
    }
}
