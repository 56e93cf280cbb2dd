package io.dataflare.tck;

import io.dataflare.api.ComponentKind;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.policy.Failure;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One component of the plugin under test, with what the kit needs to exercise it: a valid configuration,
 * configurations it must reject, sample input (processors, sinks), the processor's {@link Shape}, sample
 * failures (retry and error policies) and keys (key routers), whether a source resumes from its positions, and
 * the capabilities its stage is granted.
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
    boolean resumable;
    List<String> grants = List.of();
    List<Failure> failures = List.of(
            new Failure(ErrorClass.IO, "connection reset", null, 1, "tck", "tck@1.0.0"),
            new Failure(ErrorClass.TIMEOUT, "took too long", null, 2, "tck", "tck@1.0.0"),
            new Failure(ErrorClass.PLUGIN_ERROR, "bad value", null, 1, "tck", "tck@1.0.0"),
            new Failure(ErrorClass.INVALID_RECORD, "not a number", null, 1, "tck", "tck@1.0.0"));
    List<Object> keys = Arrays.asList("k0", "k1", "k7", "customer-42", 0L, 1L, 12345L, 2.5, true, null);

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

    /** A retry policy named {@code name}. */
    public static ComponentCase retryPolicy(String name) {
        return new ComponentCase(ComponentKind.RETRY_POLICY, name);
    }

    /** An error policy named {@code name}. */
    public static ComponentCase errorPolicy(String name) {
        return new ComponentCase(ComponentKind.ERROR_POLICY, name);
    }

    /** A key router named {@code name}. */
    public static ComponentCase keyRouter(String name) {
        return new ComponentCase(ComponentKind.KEY_ROUTER, name);
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

    /**
     * The source resumes from the positions it returns: the kit checks that a new instance, seeked to the
     * position after a batch, reads on exactly as the first instance did.
     */
    public ComponentCase resumable() {
        this.resumable = true;
        return this;
    }

    /** The capabilities the component's stage is granted (a pipeline's {@code grants:}), e.g. {@code file:write:out/*}. */
    public ComponentCase grants(String... capabilities) {
        this.grants = List.of(capabilities);
        return this;
    }

    /** The failures a retry or error policy is asked about (default: one of each error class). */
    public ComponentCase failures(Failure... failures) {
        this.failures = List.of(failures);
        return this;
    }

    /** The routing keys a key router is asked about (default: strings, numbers, a boolean and null). */
    public ComponentCase keys(Object... keys) {
        this.keys = Arrays.asList(keys);
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
