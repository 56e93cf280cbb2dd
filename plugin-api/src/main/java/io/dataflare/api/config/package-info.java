/**
 * Declared plugin options ({@link io.dataflare.api.config.ConfigSpec}) and the validated configuration a plugin
 * is created with ({@link io.dataflare.api.config.PluginConfig}).
 *
 * @since 1.0.0
 */
package io.dataflare.api.config;
