package io.dataflare.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataflare.api.data.Record;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.extism.sdk.chicory.Manifest;
import org.extism.sdk.chicory.ManifestWasm;
import org.extism.sdk.chicory.Plugin;

/**
 * The baseline loop with the transform done by the WASM module {@code bench-extism} through Extism's own
 * JVM SDK (chicory-sdk, ahead-of-time compiled), one call per record as Extism plugins are called: the peer
 * of DataFlare's WASM host on the same module.
 */
final class ExtismRow implements Row {
    private final Path module;
    private final ObjectMapper json = new ObjectMapper();

    ExtismRow(Path module) {
        this.module = module;
    }

    @Override
    public String name() {
        return "extism-chicory-sdk";
    }

    @Override
    public String unavailable() {
        return Files.isRegularFile(module) ? null : module + " is missing";
    }

    @Override
    public long run(Path input, Path outDir) throws Exception {
        Plugin plugin = Plugin.ofManifest(Manifest.ofWasms(ManifestWasm.fromBytes(Files.readAllBytes(module))
                                .build())
                        .withOptions(new Manifest.Options().withAoT(true))
                        .build())
                .build();
        return HandLoop.run(input, outDir.resolve("extism.jsonl"), rec -> {
            byte[] result = plugin.call("double", json.writeValueAsBytes(rec.asMap()));
            @SuppressWarnings("unchecked")
            Map<String, Object> m = json.readValue(result, Map.class);
            return Record.fromMap(m);
        });
    }
}
