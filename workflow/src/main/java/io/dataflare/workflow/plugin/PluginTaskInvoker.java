package io.dataflare.workflow.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.api.ComponentKind;
import io.dataflare.api.PluginContext;
import io.dataflare.api.PluginMetrics;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.error.GuestException;
import io.dataflare.api.error.PluginException;
import io.dataflare.api.processor.Processor;
import io.dataflare.engine.plugin.PluginReference;
import io.dataflare.engine.plugin.PluginRegistry;
import io.dataflare.engine.plugin.ResolutionException;
import io.dataflare.engine.plugin.ResolvedComponent;
import io.dataflare.json.Decimals;
import io.dataflare.json.RecordJson;
import io.dataflare.workflow.error.ErrorNames;
import io.dataflare.workflow.error.StatesError;
import io.dataflare.workflow.interpreter.TaskInvoker;
import io.dataflare.workflow.interpreter.TaskRequest;
import io.dataflare.workflow.validation.ResourceCheck;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Task resources that are DataFlare processor plugins: {@code plugin:NAME} or {@code plugin:NAME@RANGE} resolved
 * by the registry, or a plugin file ({@code .js}, {@code .mjs}, {@code .py}, {@code .wasm}, {@code .jar}) by a
 * path relative to the definition. The task's effective input goes to the processor as one record (it must be
 * a JSON object) and the one record it returns is the result. What the plugin throws becomes the task's error:
 * named after the script's error ({@link GuestException#errorName()}) or the Java exception's class, with its
 * message as the cause.
 */
public final class PluginTaskInvoker implements TaskInvoker, ResourceCheck, AutoCloseable {
    /** The prefix of a resource naming a plugin by name. */
    public static final String PREFIX = "plugin:";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final PluginRegistry registry;
    private final Path baseDir;
    /** One instance per resource; a processor is called from one thread at a time. */
    private final Map<String, Processor> processors = new ConcurrentHashMap<>();

    public PluginTaskInvoker(PluginRegistry registry, Path baseDir) {
        this.registry = registry;
        this.baseDir = baseDir;
    }

    /** The plugin reference a resource names, or null when it names none. */
    static PluginReference reference(String resource) {
        if (resource.startsWith(PREFIX)) {
            PluginReference ref = PluginReference.parse(resource.substring(PREFIX.length()));
            if (ref.path()) throw new IllegalArgumentException("'" + resource + "': after plugin: comes a plugin name");
            return ref;
        }
        if (PluginReference.looksLikePath(resource) && !resource.contains(":")) return PluginReference.parse(resource);
        return null;
    }

    @Override
    public String problem(String resource) {
        try {
            PluginReference ref = reference(resource);
            if (ref == null)
                return "unknown Resource '" + resource + "': use plugin:NAME[@RANGE] or a plugin file's path"
                        + " (.js, .mjs, .py, .wasm, .jar)";
            ResolvedComponent c = registry.resolve(ComponentKind.PROCESSOR, ref, baseDir);
            c.factory().configSpec().validate(Map.of());
            return null;
        } catch (IllegalArgumentException | ResolutionException | ConfigException e) {
            return e.getMessage();
        }
    }

    /** The record header holding the task's idempotency key: the same when an attempt is run again after a crash. */
    public static final String IDEMPOTENCY_KEY_HEADER = "dataflare.idempotency-key";

    @Override
    public JsonNode invoke(TaskRequest request) throws StatesError {
        if (!request.input().isObject())
            throw new StatesError(
                    ErrorNames.RUNTIME,
                    "a plugin task's input must be a JSON object, not "
                            + request.input().getNodeType());
        Processor p = processor(request);
        Record in;
        try {
            @SuppressWarnings("unchecked") // a JSON object reads as a map
            Map<String, Object> fields =
                    (Map<String, Object>) RecordJson.parse(request.input().toString(), Decimals.DOUBLE);
            in = Record.fromMap(fields).toBuilder()
                    .header(IDEMPOTENCY_KEY_HEADER, request.idempotencyKey())
                    .build();
        } catch (IOException e) {
            throw StatesError.runtime("the task input does not convert to a record: " + e.getMessage());
        }
        RecordBatch out;
        try {
            synchronized (p) {
                out = p.process(RecordBatch.of(in));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StatesError(ErrorNames.TIMEOUT, "the task was interrupted");
        } catch (Exception e) {
            throw failure(e);
        }
        if (!out.rejections().isEmpty()) {
            var r = out.rejections().get(0);
            throw new StatesError(r.cause() != null ? errorName(r.cause()) : ErrorNames.TASK_FAILED, r.reason());
        }
        if (out.size() != 1)
            throw new StatesError(
                    ErrorNames.TASK_FAILED,
                    "the plugin '" + request.resource() + "' returned " + out.size()
                            + " records for one; a task needs exactly one");
        try {
            return MAPPER.readTree(RecordJson.toJson(out.get(0)));
        } catch (IOException e) {
            throw StatesError.runtime("the plugin's record is not JSON: " + e.getMessage());
        }
    }

    private Processor processor(TaskRequest request) throws StatesError {
        Processor p = processors.get(request.resource());
        if (p != null) return p;
        synchronized (processors) {
            p = processors.get(request.resource());
            if (p != null) return p;
            try {
                PluginReference ref = reference(request.resource());
                if (ref == null) throw new IllegalArgumentException("unknown Resource '" + request.resource() + "'");
                ResolvedComponent c = registry.resolve(ComponentKind.PROCESSOR, ref, baseDir);
                PluginConfig config = c.factory().configSpec().validate(Map.of());
                Object o = c.factory().create(new TaskContext(request.state(), config));
                if (!(o instanceof Processor created))
                    throw new IllegalStateException(c.describe() + " did not create a processor");
                processors.put(request.resource(), created);
                return created;
            } catch (Exception e) {
                throw new StatesError(
                        ErrorNames.TASK_FAILED,
                        "the plugin '" + request.resource() + "' could not start: " + e.getMessage(),
                        e);
            }
        }
    }

    /** A plugin's exception as a States error: the guest error's name or the exception's class, its message. */
    static StatesError failure(Throwable e) {
        String cause = e instanceof GuestException g ? g.guestMessage() : String.valueOf(e.getMessage());
        return new StatesError(errorName(e), cause, e);
    }

    static String errorName(Throwable e) {
        // a script host's per-call time limit stopped the call: the Step Functions name for a task that ran out
        // of time, so that a Retry or Catch on States.Timeout handles it
        if (e instanceof PluginException p && ErrorClass.TIMEOUT.equals(p.errorClass())) return ErrorNames.TIMEOUT;
        if (e instanceof GuestException g
                && g.errorName() != null
                && !g.errorName().isBlank()) return g.errorName();
        return e.getClass().getSimpleName();
    }

    @Override
    public void close() {
        for (Processor p : processors.values()) {
            try {
                p.close();
            } catch (Exception e) {
                System.getLogger(PluginTaskInvoker.class.getName())
                        .log(System.Logger.Level.DEBUG, "closing a task's processor failed", e);
            }
        }
        processors.clear();
    }

    /** The context a task's processor is created with: its options' defaults, the definition's folder for paths. */
    private final class TaskContext implements PluginContext {
        private final String state;
        private final PluginConfig config;

        TaskContext(String state, PluginConfig config) {
            this.state = state;
            this.config = config;
        }

        @Override
        public PluginConfig config() {
            return config;
        }

        @Override
        public System.Logger logger() {
            return System.getLogger("io.dataflare.workflow.task." + state);
        }

        @Override
        public PluginMetrics metrics() {
            return PluginMetrics.noop();
        }

        @Override
        public Clock clock() {
            return Clock.systemUTC();
        }

        @Override
        public String pipeline() {
            return "workflow";
        }

        @Override
        public String stage() {
            return state;
        }

        @Override
        public int instance() {
            return 0;
        }

        @Override
        public int instances() {
            return 1;
        }

        @Override
        public Path resolvePath(String path) {
            return baseDir.resolve(path);
        }
    }
}
