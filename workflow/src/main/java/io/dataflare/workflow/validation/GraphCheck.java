package io.dataflare.workflow.validation;

import io.dataflare.workflow.definition.Catcher;
import io.dataflare.workflow.definition.ChoiceRule;
import io.dataflare.workflow.definition.LocatedJson;
import io.dataflare.workflow.definition.Problems;
import io.dataflare.workflow.definition.StateDefinition;
import io.dataflare.workflow.definition.StateMachine;
import io.dataflare.workflow.definition.StateType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks on a machine's transitions, for the top level and every branch and item processor: StartAt and
 * every Next, Default and Catch target exist in the same machine; every state is reachable from StartAt; from
 * every state a terminal state (End, Succeed, Fail) can be reached; state names are unique in the whole
 * definition; every Task resource passes the {@link ResourceCheck}; and a {@code Compensate} names a top-level
 * Task or Pass state with {@code End: true}.
 */
public final class GraphCheck {
    private final Problems problems;
    private final ResourceCheck resources;
    private final Map<String, String> seenNames = new HashMap<>();

    private GraphCheck(Problems problems, ResourceCheck resources) {
        this.problems = problems;
        this.resources = resources;
    }

    public static void check(StateMachine machine, Problems problems, ResourceCheck resources) {
        new GraphCheck(problems, resources).machine(machine, true);
    }

    private void machine(StateMachine m, boolean top) {
        Map<String, StateDefinition> states = m.states();
        if (m.startAt() != null && !states.isEmpty() && !states.containsKey(m.startAt()))
            problems.at(m.pointer() + "/StartAt", "StartAt names no state: '" + m.startAt() + "'" + known(states));
        Map<String, Set<String>> edges = new HashMap<>();
        for (StateDefinition s : states.values()) {
            if (seenNames.containsKey(s.name()) && !seenNames.get(s.name()).equals(s.pointer()))
                problems.key(s.pointer(), "state name '" + s.name() + "' is used twice in the definition");
            seenNames.put(s.name(), s.pointer());
            Set<String> out = new LinkedHashSet<>();
            target(s, s.next(), s.pointer() + "/Next", out, states);
            for (int i = 0; i < s.choices().size(); i++) {
                ChoiceRule r = s.choices().get(i);
                target(s, r.next(), s.pointer() + "/Choices/" + i + "/Next", out, states);
            }
            target(s, s.defaultNext(), s.pointer() + "/Default", out, states);
            for (int i = 0; i < s.catchers().size(); i++) {
                Catcher c = s.catchers().get(i);
                target(s, c.next(), s.pointer() + "/Catch/" + i + "/Next", out, states);
            }
            edges.put(s.name(), out);
            if (s.type() == StateType.Task && s.resource() != null) {
                String bad = resources.problem(s.resource());
                if (bad != null) problems.at(s.pointer() + "/Resource", "state '" + s.name() + "': " + bad);
            }
            if (s.compensate() != null) compensation(s, states, top, out);
            for (StateMachine b : s.branches()) machine(b, false);
            if (s.itemProcessor() != null) machine(s.itemProcessor(), false);
        }
        if (m.startAt() == null || !states.containsKey(m.startAt())) return;

        Set<String> reachable = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(m.startAt()));
        while (!todo.isEmpty()) {
            String n = todo.pop();
            if (reachable.add(n)) todo.addAll(edges.getOrDefault(n, Set.of()));
        }
        Set<String> terminals = new HashSet<>();
        for (StateDefinition s : states.values()) if (s.end() || s.type().terminal()) terminals.add(s.name());
        if (terminals.isEmpty()) {
            problems.at(
                    m.pointer() + "/States", "no terminal state: no state has End: true or is a Succeed or Fail state");
            return;
        }
        Map<String, List<String>> reverse = new HashMap<>();
        edges.forEach((from, tos) -> tos.forEach(
                to -> reverse.computeIfAbsent(to, k -> new ArrayList<>()).add(from)));
        Set<String> canEnd = new HashSet<>();
        todo.addAll(terminals);
        while (!todo.isEmpty()) {
            String n = todo.pop();
            if (canEnd.add(n)) todo.addAll(reverse.getOrDefault(n, List.of()));
        }
        for (StateDefinition s : states.values()) {
            if (!reachable.contains(s.name()))
                problems.key(
                        s.pointer(), "state '" + s.name() + "' cannot be reached from StartAt '" + m.startAt() + "'");
            else if (!canEnd.contains(s.name()))
                problems.key(
                        s.pointer(),
                        "from state '" + s.name()
                                + "' no terminal state can be reached (a dead end, or a loop without exit)");
        }
    }

    /**
     * A state's {@code Compensate}: a Task or Pass state of the top level with {@code End: true} (it runs alone,
     * nothing follows it), reachable through it.
     */
    private void compensation(StateDefinition s, Map<String, StateDefinition> states, boolean top, Set<String> out) {
        String ptr = s.pointer() + "/Compensate";
        if (!top) {
            problems.at(ptr, "state '" + s.name() + "': Compensate is supported on top-level states only");
            return;
        }
        StateDefinition c = states.get(s.compensate());
        target(s, s.compensate(), ptr, out, states);
        if (c == null) return;
        if (c.name().equals(s.name())) problems.at(ptr, "state '" + s.name() + "' cannot compensate itself");
        else if ((c.type() != StateType.Task && c.type() != StateType.Pass) || !c.end())
            problems.at(
                    ptr,
                    "state '" + s.name() + "': its compensation '" + c.name()
                            + "' must be a Task or Pass state with End: true (it runs alone)");
    }

    private void target(
            StateDefinition s, String next, String ptr, Set<String> out, Map<String, StateDefinition> states) {
        if (next == null) return;
        if (states.containsKey(next)) out.add(next);
        else
            problems.at(
                    ptr, "state '" + s.name() + "' goes to '" + next + "', which is not a state here" + known(states));
    }

    private static String known(Map<String, StateDefinition> states) {
        return " (states: " + String.join(", ", states.keySet()) + ")";
    }

    static String escape(String s) {
        return LocatedJson.escape(s);
    }
}
