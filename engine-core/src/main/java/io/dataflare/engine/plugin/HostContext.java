package io.dataflare.engine.plugin;

/**
 * What the registry tells a host when it loads a plugin.
 *
 * @param engineVersion the engine version, for hosts that check compatibility themselves
 */
public record HostContext(String engineVersion) {
}
