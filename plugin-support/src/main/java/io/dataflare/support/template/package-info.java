/**
 * {@code {field}} templates: text parsed once and filled per record from the record's fields, with a per-use
 * encoding of the values (file-name parts, percent-encoding, Kafka topic names).
 */
package io.dataflare.support.template;
