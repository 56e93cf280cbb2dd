package io.dataflare.wasm.abi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.policy.ErrorAction;
import io.dataflare.api.policy.ErrorPolicy;
import io.dataflare.api.policy.Failure;
import io.dataflare.api.policy.KeyRouter;
import io.dataflare.api.policy.RetryPolicy;
import io.dataflare.api.policy.RoutingLoad;
import io.dataflare.json.RecordJson;
import io.dataflare.wasm.module.PolicyExports;
import io.dataflare.wasm.sandbox.WasmPluginException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Policies run by a DataFlare-ABI module: one guarded call per decision. A failure goes in as a JSON object
 * ({@code error_class}, {@code message}, {@code attempts}, {@code stage}, {@code plugin}), a routing key as a
 * JSON value; the export's i32 result is the decision.
 */
final class AbiPolicies {
    private static final JsonFactory JSON = RecordJson.newFactory();

    private AbiPolicies() {}

    /** {@code df_retry(ptr, len)}: {@code >= 0} retry after that many ms, {@code -1} give up. */
    record Retry(AbiSession session, System.Logger log) implements RetryPolicy, AutoCloseable {
        @Override
        public Optional<Duration> nextDelay(Failure failure) {
            int r;
            try {
                r = session.callWithBytes(PolicyExports.RETRY, failure(failure));
                if (r < -1) throw refused(session, PolicyExports.RETRY, r, "a delay in ms or -1");
            } catch (WasmPluginException e) {
                // a retry policy that cannot decide gives up: the records go on to the error policy, none is lost
                log.log(
                        System.Logger.Level.WARNING,
                        "retry policy {0} failed, giving up on this failure: {1}",
                        session.label(),
                        e.getMessage());
                return Optional.empty();
            }
            return r == -1 ? Optional.empty() : Optional.of(Duration.ofMillis(r));
        }

        @Override
        public void close() {
            session.close();
        }
    }

    /** {@code df_error_route(ptr, len)}: 0 skip, 1 dead-letter, 2 abort. */
    record Errors(AbiSession session) implements ErrorPolicy, AutoCloseable {
        @Override
        public ErrorAction decide(Failure failure) {
            // a failing error policy throws (naming itself): the run stops at its last checkpoint, losing nothing
            int r = session.callWithBytes(PolicyExports.ERROR_ROUTE, failure(failure));
            return switch (r) {
                case 0 -> ErrorAction.SKIP;
                case 1 -> ErrorAction.DEAD_LETTER;
                case 2 -> ErrorAction.ABORT;
                default ->
                    throw refused(session, PolicyExports.ERROR_ROUTE, r, "0 (skip), 1 (dead-letter) or 2 (abort)");
            };
        }

        @Override
        public void close() {
            session.close();
        }
    }

    /**
     * {@code df_route(ptr, len, instances)}: the instance, from 0 to {@code instances - 1}. One router serves
     * every upstream thread of a stage: calls take turns on its one WASM instance.
     */
    record Router(AbiSession session) implements KeyRouter, AutoCloseable {
        @Override
        public int route(Object key, RoutingLoad load) {
            byte[] k = json(g -> RecordJson.writeValue(g, key));
            int n = load.instances();
            int r;
            synchronized (session) {
                r = session.callWithBytes(PolicyExports.ROUTE, k, n);
            }
            if (r < 0 || r >= n) throw refused(session, PolicyExports.ROUTE, r, "an instance from 0 to " + (n - 1));
            return r;
        }

        @Override
        public void close() {
            synchronized (session) {
                session.close();
            }
        }
    }

    private static WasmPluginException refused(AbiSession s, String fn, int r, String expected) {
        String why = s.reason();
        return new WasmPluginException(
                ErrorClass.PLUGIN_ERROR,
                s.label(),
                fn + " returned " + r + ", expected " + expected + (why.equals("(no message)") ? "" : ": " + why),
                null);
    }

    static byte[] failure(Failure f) {
        return json(g -> {
            g.writeStartObject();
            g.writeStringField("error_class", f.errorClass());
            g.writeStringField("message", f.message());
            g.writeNumberField("attempts", f.attempts());
            g.writeStringField("stage", f.stage());
            g.writeStringField("plugin", f.plugin());
            g.writeEndObject();
        });
    }

    private interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] json(Writer w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            w.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
