package io.dataflare.engine.pipeline;

/**
 * What happens to records that failed for good ({@code policies.errors}).
 *
 * @param onError    the error policy ({@code skip}, {@code dead-letter}, {@code abort} or a plugin)
 * @param deadLetter the dead-letter sink, or null
 */
public record ErrorsDefinition(ComponentUse onError, ComponentUse deadLetter) {}
