package io.dataflare.api;

import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.PluginConfig;
import org.pf4j.ExtensionPoint;

/**
 * The entry point of one plugin component: its name (what a pipeline's {@code use:} names), its kind,
 * its options, and how to create an instance. A Java plugin JAR contributes factories as PF4J
 * extensions:
 *
 * <pre>{@code
 * @Extension
 * public class MaskFactory implements ProcessorFactory {
 *     public String name() { return "mask-pii"; }
 *     public ConfigSpec configSpec() {
 *         return ConfigSpec.builder().required("fields", ConfigType.STRING_LIST, "Fields to mask").build();
 *     }
 *     public Processor create(PluginContext ctx) { return new MaskProcessor(ctx.config().getList("fields")); }
 * }
 * }</pre>
 *
 * <p>Factories must be stateless: the engine may call {@link #create} many times, on any thread, to run
 * several instances (parallelism), several pipelines, or on other nodes. Use the kind-specific
 * sub-interfaces ({@code SourceFactory}, {@code SinkFactory}, {@code ProcessorFactory},
 * {@code RetryPolicyFactory}, {@code ErrorPolicyFactory}, {@code KeyRouterFactory}).
 *
 * @param <T> what {@link #create} returns
 *
 * @since 1.0.0
 */
public interface PluginFactory<T> extends ExtensionPoint {
    /** The component's name, unique within its kind: lower-case letters, digits, '-', '_' and '.' (e.g. {@code csv-file}). */
    String name();

    /** What the component does. */
    ComponentKind kind();

    /** One line describing the component, for {@code plugins list} and {@code plugins info}. */
    default String description() {
        return "";
    }

    /** The options the component accepts; the engine validates a pipeline against it before running. */
    default ConfigSpec configSpec() {
        return ConfigSpec.empty();
    }

    /**
     * Checks what the spec cannot express (an expression that must compile, options that exclude each
     * other). Called before the pipeline runs, after {@link #configSpec()} validation.
     *
     * @throws ConfigException naming the offending option
     */
    default void validate(PluginConfig config) {}

    /**
     * Checks, before the pipeline runs, what {@link #create} would otherwise only find out when the run
     * starts: an input file that does not exist, a glob that matches nothing, an output directory that
     * cannot be created because a file is in the way. {@code dataflare validate} and {@code dataflare run}
     * call it for every stage after {@link #validate}, with a context like the one {@link #create} gets
     * (the validated configuration; {@link PluginContext#resolvePath} resolves against the pipeline
     * file's directory), and report what it throws as a problem at the option's line, so the pipeline
     * is not started at all.
     *
     * <p>Keep it cheap and free of side effects: look at the file system, but do not open connections,
     * read data, or create anything. Conditions that may change between the check and the run (a
     * server that is down) belong in {@link #create}. The default checks nothing.
     *
     * @throws ConfigException naming the offending option
     *
     * @since 1.1.0
     */
    default void preflight(PluginContext context) {}

    /**
     * Creates one instance. The context's {@link PluginContext#config()} is already validated.
     *
     * @throws Exception when the instance cannot start (a missing file, a refused connection); the
     *                   pipeline then fails before it runs
     */
    T create(PluginContext context) throws Exception;
}
