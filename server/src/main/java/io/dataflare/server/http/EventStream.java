package io.dataflare.server.http;

import io.dataflare.engine.runtime.StatsSnapshot;
import io.dataflare.server.task.Task;
import io.dataflare.server.task.TaskEvents;
import io.dataflare.server.task.TaskManager;
import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/tasks/{id}/events}: a Server-Sent Events stream of the task's state changes ({@code state}),
 * progress ({@code progress}, about twice a second while it runs), plugin events ({@code plugin}: see
 * {@link io.dataflare.server.task.PluginActivity}), rescales of elastic stages ({@code scale}), saved checkpoints ({@code checkpoint}) and the records its memory sinks write ({@code record}, with
 * {@code ?filter=field:value} only those whose field has that value; none with {@code ?records=false}). A comment line
 * every 15 s keeps idle connections open. The stream ends with an {@code end} event when the task is deleted
 * or the server stops, or {@code overflow} when the client reads too slowly.
 */
final class EventStream {
    private static final long HEARTBEAT_MS = 15_000;

    private final TaskManager tasks;

    EventStream(TaskManager tasks) {
        this.tasks = tasks;
    }

    void handle(Context ctx) throws InterruptedException {
        // The stream never ends and never reads a request body: a client still sending one would wait forever.
        if (ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null)
            throw RequestException.badRequest("the event stream takes no request body");
        Task task = tasks.get(ctx.pathParam("id"));
        String filter = ctx.queryParam("filter");
        String field = null;
        String value = null;
        if (filter != null) {
            int colon = filter.indexOf(':');
            if (colon <= 0) throw RequestException.badRequest("filter must be field:value, got '" + filter + "'");
            field = filter.substring(0, colon);
            value = filter.substring(colon + 1);
        }
        String records = ctx.queryParam("records");
        if (records != null && !records.equals("true") && !records.equals("false"))
            throw RequestException.badRequest("records must be true or false, got '" + records + "'");
        HttpServletResponse res = ctx.res();
        res.setStatus(200);
        res.setCharacterEncoding("UTF-8");
        res.setContentType("text/event-stream");
        res.setHeader("Cache-Control", "no-cache");
        res.setHeader("X-Accel-Buffering", "no");
        try (TaskEvents.Subscription sub = task.events().subscribe(field, value, !"false".equals(records))) {
            ServletOutputStream out = res.getOutputStream();
            Map<String, Object> hello = new LinkedHashMap<>();
            hello.put("task", task.id());
            hello.put("state", task.state().name());
            send(out, "state", null, hello);
            while (true) {
                TaskEvents.Event e = sub.next(HEARTBEAT_MS);
                if (e == null) {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    continue;
                }
                String id = e.data() instanceof Map<?, ?> m && m.get("offset") != null
                        ? String.valueOf(m.get("offset"))
                        : null;
                Object data = e.data() instanceof StatsSnapshot s ? progress(task, s) : e.data();
                send(out, e.type(), id, data);
                if (e.type().equals("end") || e.type().equals("overflow")) break;
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private static Map<String, Object> progress(Task task, StatsSnapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", task.id());
        m.put("state", task.state().name());
        m.put("stats", TaskViews.stats(s));
        return m;
    }

    private static void send(ServletOutputStream out, String event, String id, Object data) throws IOException {
        StringBuilder sb = new StringBuilder();
        if (id != null) sb.append("id: ").append(id).append('\n');
        sb.append("event: ").append(event).append('\n');
        sb.append("data: ").append(Json.write(data)).append("\n\n");
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
