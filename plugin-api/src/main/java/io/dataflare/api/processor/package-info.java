/**
 * Processors: batch in, batch out ({@link io.dataflare.api.processor.Processor}), or one record at a time
 * ({@link io.dataflare.api.processor.RecordMapper}), made by a {@link
 * io.dataflare.api.processor.ProcessorFactory}.
 *
 * @since 1.0.0
 */
package io.dataflare.api.processor;
