package io.dataflare.wasm.module;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.InterpreterMachine;
import com.dylibso.chicory.runtime.Machine;
import java.util.Set;
import java.util.function.Function;

/**
 * A module's code as the JVM runs it: a machine factory from the compiler (some functions may still be
 * interpreted, e.g. ones too large for a JVM method), or none when compilation failed as a whole.
 *
 * @param compiled    the compiled machine factory, or null
 * @param interpreted the functions the compiler left to the interpreter
 * @param fallback    why the whole module runs interpreted (null when compiled)
 * @param fromDisk    whether the bytecode came from the disk cache
 */
public record CompiledCode(
        Function<Instance, Machine> compiled, Set<Integer> interpreted, String fallback, boolean fromDisk) {
    /** The machine factory for {@code interpreted} mode or a module that did not compile. */
    public Function<Instance, Machine> machine(boolean preferCompiled) {
        return preferCompiled && compiled != null ? compiled : InterpreterMachine::new;
    }

    /** How the module runs in compiled mode, for logs and {@code plugins info}. */
    public String describe() {
        if (compiled == null) return "interpreted (compilation failed: " + fallback + ")";
        return interpreted.isEmpty()
                ? "compiled"
                : "compiled, " + interpreted.size() + " function(s) interpreted (too large for the JVM)";
    }
}
