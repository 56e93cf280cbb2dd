/**
 * Records and batches: {@link io.dataflare.api.data.Record} (immutable, typed fields: see {@link
 * io.dataflare.api.data.FieldType}), {@link io.dataflare.api.data.Fields} shared by records of one shape, {@link
 * io.dataflare.api.data.RecordBatch} and the {@link io.dataflare.api.data.Rejection} of a record a plugin could
 * not handle.
 *
 * @since 1.0.0
 */
package io.dataflare.api.data;
