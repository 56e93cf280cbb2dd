package io.dataflare.polyglot;

import io.dataflare.polyglot.runtime.ScriptLanguage;

/**
 * Loads {@code .py} plugins into GraalPy. Python is heavy (about 160 MB of jars, seconds per context,
 * hundreds of MB of heap): nothing of it starts until a pipeline uses a Python plugin.
 */
public final class PythonHost extends ScriptHost {
    public PythonHost() {
        super(ScriptLanguage.PYTHON);
    }
}
