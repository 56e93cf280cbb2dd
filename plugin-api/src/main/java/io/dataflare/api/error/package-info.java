/**
 * The exceptions a plugin throws ({@link io.dataflare.api.error.PluginException}, {@link
 * io.dataflare.api.error.InvalidRecordException}) and the error classes the engine's policies act on ({@link
 * io.dataflare.api.error.ErrorClass}).
 *
 * @since 1.0.0
 */
package io.dataflare.api.error;
