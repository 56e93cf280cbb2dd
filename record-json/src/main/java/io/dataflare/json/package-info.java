/**
 * The JSON form of records ({@link io.dataflare.json.RecordJson}): one convention for longs, doubles,
 * decimals, timestamps and bytes wherever DataFlare writes or reads records as JSON.
 *
 * @since 1.1.0
 */
package io.dataflare.json;
