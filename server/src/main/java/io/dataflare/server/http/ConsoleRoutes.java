package io.dataflare.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The web console: {@code GET /} is its page, {@code GET /console/{file}} its bundled script and style, read from
 * the JAR (the bundle is committed in the resources; {@code src/main/console} rebuilds it with npm). They are served without a token: they hold no data, and
 * everything the console shows it fetches from the API with the token the user logs in with.
 */
final class ConsoleRoutes {
    static final String INDEX = "/";
    static final String FILES = "/console/";
    private static final String ROOT = "/io/dataflare/server/console/";
    private static final Map<String, String> TYPES =
            Map.of("console.js", "text/javascript; charset=utf-8", "console.css", "text/css; charset=utf-8");

    void register(RoutesConfig r) {
        r.get(INDEX, ctx -> serve(ctx, "index.html", "text/html; charset=utf-8"));
        r.get(FILES + "{file}", ctx -> {
            String file = ctx.pathParam("file");
            String type = TYPES.get(file);
            if (type == null) throw new RequestException(404, "not_found", "the console has no file '" + file + "'");
            serve(ctx, file, type);
        });
    }

    /** Whether {@code path} is one of the console's files, served without a token. */
    static boolean isConsole(String path) {
        return path.equals(INDEX) || path.startsWith(FILES) && path.indexOf('/', FILES.length()) < 0;
    }

    private static void serve(Context ctx, String file, String type) {
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream(ROOT + file)) {
            if (in == null)
                throw new RequestException(404, "not_found", "the console has no file '" + file + "' in this build");
            ctx.status(200)
                    .contentType(type)
                    .header("Cache-Control", "no-cache")
                    .header("X-Content-Type-Options", "nosniff")
                    .result(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
