/**
 * Keyed state: values, lists and maps kept per record key, and an operator-wide value, owned by the engine and
 * part of every checkpoint (written atomically with the source positions, so a resumed run continues with
 * exactly the state its positions imply). A plugin reaches it through {@link
 * io.dataflare.api.PluginContext#state()}; values are typed by a {@link io.dataflare.api.state.StateType}.
 *
 * @since 1.1.0
 */
package io.dataflare.api.state;
