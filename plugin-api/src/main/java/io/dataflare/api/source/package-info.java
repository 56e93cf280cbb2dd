/**
 * Sources: where records enter a pipeline ({@link io.dataflare.api.source.Source}, made by a {@link
 * io.dataflare.api.source.SourceFactory}), with positions for checkpoints.
 *
 * @since 1.0.0
 */
package io.dataflare.api.source;
