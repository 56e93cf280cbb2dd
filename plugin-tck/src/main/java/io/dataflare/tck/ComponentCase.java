package io.dataflare.tck;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.data.RecordBatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One component of the plugin under test, with what the kit needs to exercise it: a valid configuration,
 * configurations it must reject, sample input (processors, sinks), and the processor's {@link Shape}.
 *
 * <pre>{@code
 * ComponentCase.processor("upper")
 *     .config(Map.of("fields", List.of("name")))
 *     .rejects(Map.of("fields", 42), "fields")          // wrong type: the message must name the option
 *     .input(RecordBatch.of(Record.fromMap(Map.of("name", "ada"))));
 * }</pre>
 */
public final class ComponentCase {
    final ComponentKind kind;
    final String name;
    Map<String, Object> config = Map.of();
    final Map<Map<String, Object>, String> rejected = new LinkedHashMap<>();
    RecordBatch input = RecordBatch.EMPTY;
    Shape shape = Shape.ONE_TO_ONE;
    boolean deterministic = true;
    int polls = 5;

    private ComponentCase(ComponentKind kind, String name) {
        this.kind = kind;
        this.name = name;
    }

    /** A processor named {@code name}. */
    public static ComponentCase processor(String name) {
        return new ComponentCase(ComponentKind.PROCESSOR, name);
    }

    /** A source named {@code name}. */
    public static ComponentCase source(String name) {
        return new ComponentCase(ComponentKind.SOURCE, name);
    }

    /** A sink named {@code name}. */
    public static ComponentCase sink(String name) {
        return new ComponentCase(ComponentKind.SINK, name);
    }

    /** A valid configuration (relative paths resolve against a temporary folder the kit creates). */
    public ComponentCase config(Map<String, ?> config) {
        this.config = new LinkedHashMap<>(config);
        return this;
    }

    /** A configuration the spec (or the factory's {@code validate}) must reject, naming {@code option} in its message. */
    public ComponentCase rejects(Map<String, ?> config, String option) {
        rejected.put(new LinkedHashMap<>(config), option);
        return this;
    }

    /** The sample batch for a processor or a sink. */
    public ComponentCase input(RecordBatch input) {
        this.input = input;
        return this;
    }

    /** How the processor's output relates to its input (default {@link Shape#ONE_TO_ONE}). */
    public ComponentCase shape(Shape shape) {
        this.shape = shape;
        return this;
    }

    /** The component's output depends on more than its input and config (time, randomness): skip the determinism check. */
    public ComponentCase nondeterministic() {
        this.deterministic = false;
        return this;
    }

    /** How many polls the source checks (default 5). */
    public ComponentCase polls(int polls) {
        this.polls = polls;
        return this;
    }

    @Override
    public String toString() {
        return kind.label() + " " + name;
    }

    List<Map<String, Object>> rejectedConfigs() {
        return new ArrayList<>(rejected.keySet());
    }
}
