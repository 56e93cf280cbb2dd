/**
 * The DataFlare plugin API: the only artifact a plugin author compiles against.
 *
 * <ul>
 *   <li>{@link io.dataflare.api.data}: records, batches, field types;</li>
 *   <li>{@link io.dataflare.api.source}, {@link io.dataflare.api.sink}, {@link io.dataflare.api.processor}:
 *       the components that move data;</li>
 *   <li>{@link io.dataflare.api.policy}: retry, error and routing policies;</li>
 *   <li>{@link io.dataflare.api.config}: declared options and validated configuration;</li>
 *   <li>{@link io.dataflare.api.error}: exceptions and error classes.</li>
 * </ul>
 *
 * A Java plugin is a PF4J plugin JAR whose {@code @Extension} classes implement the factories
 * ({@link io.dataflare.api.PluginFactory} and its sub-interfaces).
 *
 * <p>Compatibility: {@code @since} tags name the release that added a type or member. Within a major version
 * the SPI stays binary and source compatible (the build checks it against the last release); the only break
 * of 1.1.0 is {@code SimplePluginContext}, a test helper, moved to plugin-tck.
 *
 * @since 1.0.0
 */
package io.dataflare.api;
