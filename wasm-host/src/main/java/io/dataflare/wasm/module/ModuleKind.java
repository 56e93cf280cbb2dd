package io.dataflare.wasm.module;

/** Which contract a module follows: the DataFlare ABI (one call per batch) or Extism's (one call per record). */
public enum ModuleKind {
    /** Imports only from {@code dataflare} (and WASI when granted); see ABI.md. */
    DATAFLARE,
    /** Imports from {@code extism:host/env}: an Extism PDK plugin. */
    EXTISM
}
