/**
 * Sinks: where records leave a pipeline ({@link io.dataflare.api.sink.Sink}, made by a {@link
 * io.dataflare.api.sink.SinkFactory}), reporting the records they could not write through {@link
 * io.dataflare.api.sink.Rejections}.
 *
 * @since 1.0.0
 */
package io.dataflare.api.sink;
