package io.dataflare.bench;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.dataformat.csv.CsvDataFormat;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.dataformat.JsonLibrary;

/**
 * The job as an Apache Camel route, written the idiomatic way: the file component, the CSV data format
 * (streaming, header as map keys), a streaming split, a processor for the transform (with the same type
 * conversion as the engine's schema), the Jackson JSON data format, and the stream component appending
 * one line per record.
 */
final class CamelRow implements Row {
    @Override
    public String name() {
        return "camel";
    }

    @Override
    public long run(Path input, Path outDir) throws Exception {
        AtomicLong count = new AtomicLong();
        Path out = outDir.resolve("camel.jsonl");
        try (CamelContext camel = new DefaultCamelContext()) {
            CsvDataFormat csv = new CsvDataFormat();
            csv.setUseMaps(true);
            csv.setLazyLoad(true);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("file:" + input.getParent() + "?fileName=" + input.getFileName()
                                    + "&noop=true&idempotent=false")
                            .routeId("bench")
                            .unmarshal(csv)
                            .split(body())
                            .streaming()
                            .process(e -> {
                                @SuppressWarnings("unchecked")
                                Map<String, Object> m = e.getIn().getBody(Map.class);
                                long id = Long.parseLong((String) m.get("id"));
                                m.put("id", id);
                                m.put("amount", Double.parseDouble((String) m.get("amount")));
                                m.put("quantity", Long.parseLong((String) m.get("quantity")));
                                m.put("n2", id * 2);
                                count.incrementAndGet();
                            })
                            .marshal()
                            .json(JsonLibrary.Jackson)
                            .to("stream:file?fileName=" + out)
                            .end();
                }
            });
            NotifyBuilder done =
                    new NotifyBuilder(camel).fromRoute("bench").whenDone(1).create();
            camel.start();
            if (!done.matches(30, TimeUnit.MINUTES)) throw new IllegalStateException("the Camel route did not finish");
        }
        return count.get();
    }
}
