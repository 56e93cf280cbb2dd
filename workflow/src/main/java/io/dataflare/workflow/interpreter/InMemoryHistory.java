package io.dataflare.workflow.interpreter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Histories in memory: for tests and for runs that need not survive the process. */
public final class InMemoryHistory implements ExecutionHistory {
    private final Map<String, List<HistoryEvent>> logs = new LinkedHashMap<>();

    @Override
    public synchronized List<HistoryEvent> read(String execution) {
        return List.copyOf(logs.getOrDefault(execution, List.of()));
    }

    @Override
    public synchronized void append(String execution, long expectedVersion, HistoryEvent event) {
        List<HistoryEvent> log = logs.computeIfAbsent(execution, k -> new ArrayList<>());
        long actual = log.isEmpty() ? 0 : log.get(log.size() - 1).sequence();
        if (actual != expectedVersion) throw new VersionConflictException(execution, expectedVersion, actual);
        log.add(event);
    }

    @Override
    public synchronized List<String> executions() {
        return List.copyOf(logs.keySet());
    }

    /** A history holding {@code events} for {@code execution}, as if a process had written them and died. */
    public static InMemoryHistory of(String execution, List<HistoryEvent> events) {
        InMemoryHistory h = new InMemoryHistory();
        h.logs.put(execution, new ArrayList<>(events));
        return h;
    }
}
