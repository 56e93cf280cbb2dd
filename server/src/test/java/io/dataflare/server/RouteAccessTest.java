package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.server.access.AuthSettings;
import io.dataflare.server.access.JwtSettings;
import io.dataflare.server.access.NamedToken;
import io.dataflare.server.access.Role;
import io.dataflare.server.access.TaskPatterns;
import io.dataflare.server.http.Auth;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route of the OpenAPI document, for every kind of caller: the admin token, an operator token limited to
 * {@code etl-*}, a viewer token, no token, a wrong token, an expired JWT, and JWT viewers and operators. The
 * expected answer follows from the permission the document names for the route ({@code x-dataflare-permission})
 * and the role's permissions as documented: 401, 403, or anything else but a 5xx.
 */
class RouteAccessTest {
    static final String OPERATOR_TOKEN = "operator-token-0123456789";
    static final String VIEWER_TOKEN = "viewer-token-0123456789";
    static final String ISSUER = "https://idp.test";
    static final Set<String> VIEWER =
            Set.of("api:read", "tasks:read", "workflows:read", "plugins:read", "metrics:read", "nodes:read");
    static final Set<String> OPERATOR = Set.of(
            "api:read",
            "tasks:read",
            "workflows:read",
            "plugins:read",
            "metrics:read",
            "nodes:read",
            "nodes:report",
            "tasks:write",
            "tasks:push",
            "workflows:write",
            "activities:work");
    static final String PIPELINE = ApiRoutesTest.PUSH_TO_MEMORY;

    @TempDir
    static Path dir;

    static TestServer s;
    static RSAKey signingKey;

    /** A kind of caller: its Authorization header (or null), and what it may do (null: it is not authenticated). */
    record Who(String label, String authorization, Set<String> permissions, boolean allTasks) {}

    @BeforeAll
    static void start() throws Exception {
        signingKey = new RSAKeyGenerator(2048).keyID("k1").generate();
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(signingKey.toPublicJWK()).toString());
        AuthSettings auth = new AuthSettings(
                List.of(
                        new NamedToken(
                                "ci",
                                Auth.hash(OPERATOR_TOKEN),
                                Role.OPERATOR,
                                new TaskPatterns(List.of("etl-*")),
                                null),
                        new NamedToken("grafana", Auth.hash(VIEWER_TOKEN), Role.VIEWER, TaskPatterns.ALL, null)),
                new JwtSettings(jwks, null, ISSUER, "dataflare", "sub", "role", "tasks"),
                null,
                Map.of());
        s = new TestServer(
                new InProcessPlugins(),
                dir.resolve("state"),
                ServerConfig.defaults().auth(auth));
        s.create("etl-orders", PIPELINE);
        s.create("billing", PIPELINE);
    }

    @AfterAll
    static void stop() {
        if (s != null) s.close();
    }

    static String jwt(String sub, String role, Object tasks, String issuer, Instant expires) throws JOSEException {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(sub)
                .issuer(issuer)
                .audience("dataflare")
                .expirationTime(Date.from(expires))
                .claim("role", role);
        if (tasks != null) claims.claim("tasks", tasks);
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), claims.build());
        jwt.sign(new RSASSASigner(signingKey));
        return jwt.serialize();
    }

    static List<Who> callers() throws JOSEException {
        Instant later = Instant.now().plusSeconds(3600);
        return List.of(
                new Who("no token", null, null, false),
                new Who("wrong token", "Bearer not-a-token", null, false),
                new Who(
                        "expired JWT",
                        "Bearer "
                                + jwt(
                                        "ops",
                                        "admin",
                                        null,
                                        ISSUER,
                                        Instant.now().minusSeconds(3600)),
                        null,
                        false),
                new Who(
                        "JWT of another issuer",
                        "Bearer " + jwt("ops", "admin", null, "https://evil", later),
                        null,
                        false),
                new Who("viewer", "Bearer " + VIEWER_TOKEN, VIEWER, true),
                new Who("JWT viewer", "Bearer " + jwt("dash", "viewer", null, ISSUER, later), VIEWER, true),
                new Who("operator etl-*", "Bearer " + OPERATOR_TOKEN, OPERATOR, false),
                new Who(
                        "JWT operator etl-*",
                        "Bearer " + jwt("pipe", "operator", List.of("etl-*"), ISSUER, later),
                        OPERATOR,
                        false),
                new Who("admin", "Bearer " + TestServer.TOKEN, null, true));
    }

    @Test
    void everyRouteAnswersEachCallerAsItsRoleAllows() throws Exception {
        JsonNode doc = s.get("/openapi.json").json();
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Who who : callers()) {
            for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
                for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                    String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
                    String route = method + " " + path.getKey();
                    if (op.getValue().path("security").isArray()
                            && op.getValue().path("security").isEmpty()) {
                        // open routes: the liveness probe and the console's files, which hold no data
                        assertThat(route).isIn("GET /health", "GET /", "GET /console/{file}");
                        continue;
                    }
                    JsonNode permission = op.getValue().get("x-dataflare-permission");
                    assertThat(permission)
                            .as("%s names its permission (x-dataflare-permission)", route)
                            .isNotNull();
                    // workflow and execution routes are not scoped to tasks: their {id} names a workflow or an
                    // execution
                    boolean taskScoped = path.getKey().startsWith("/api/tasks/")
                                    && path.getKey().contains("{id}")
                            || route.equals("POST /api/tasks");
                    for (String task : taskScoped ? List.of("etl-orders", "billing") : List.of("-")) {
                        String expected = expected(who, permission.asText(), taskScoped, task);
                        int status = call(method, path.getKey(), task, who.authorization());
                        checked++;
                        String got = status == 401 ? "401" : status == 403 ? "403" : status >= 500 ? "5xx" : "other";
                        if (!got.equals(expected))
                            failures.add(who.label() + ": " + route + " on " + task + " answered " + status
                                    + ", expected " + expected);
                    }
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(checked).isGreaterThan(9 * 20);
    }

    /** 401 when not authenticated; 403 when the role lacks the permission or the task is outside its patterns. */
    static String expected(Who who, String permission, boolean taskScoped, String task) {
        if (who.authorization() == null
                || who.permissions() == null && !who.label().equals("admin")) return "401";
        if (who.label().equals("admin")) return "other";
        if (!who.permissions().contains(permission)) return "403";
        if (taskScoped && !who.allTasks() && !task.startsWith("etl-")) return "403";
        return "other";
    }

    /** Calls a route with a plausible body; only the status is read (the event stream is left at once). */
    static int call(String method, String template, String task, String authorization)
            throws IOException, InterruptedException {
        String path = template.replace("{id}", task)
                .replace("{stage}", "in")
                .replace("{name}", "seq")
                .replace("{execution}", "seq")
                .replace("{signal}", "go")
                .replace("{token}", "dGFzaw.nope");
        if (template.equals("/api/tasks") && method.equals("POST")) path += "?id=" + task;
        String body = "";
        String type = "application/json";
        if (template.endsWith("/records")) body = "[{\"id\": 1}]";
        else if (template.endsWith("/attach")) body = "{\"path\": \"" + dir.resolve("none.csv") + "\"}";
        else if (template.endsWith("/parallelism")) body = "{\"parallelism\": 2}";
        else if (template.endsWith("/poll")) body = "{\"wait_seconds\": 0}";
        else if (template.startsWith("/api/tasks")
                && (method.equals("POST") || method.equals("PUT"))
                && !template.contains("/start")
                && !template.contains("/stop")
                && !template.contains("/pause")
                && !template.contains("/resume")) {
            body = PIPELINE;
            type = "application/yaml";
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.url() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", type)
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) b.header("Authorization", authorization);
        HttpResponse<InputStream> r = s.http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        r.body().close();
        return r.statusCode();
    }

    @Test
    void aForbiddenAnswerNamesTheRoleThePermissionAndTheTask() throws Exception {
        s.put("/api/tasks/billing", "application/yaml", PIPELINE); // the table test may have deleted it
        int status = call("POST", "/api/tasks/{id}/stop", "billing", "Bearer " + OPERATOR_TOKEN);
        assertThat(status).isEqualTo(403);
        TestServer.Response r = s.send(HttpRequest.newBuilder(URI.create(s.url() + "/api/tasks/billing"))
                .header("Authorization", "Bearer " + VIEWER_TOKEN)
                .DELETE());
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("code").asText()).isEqualTo("forbidden");
        assertThat(r.json().get("message").asText())
                .isEqualTo("role viewer ('grafana') may not tasks:write on task 'billing'");
        assertThat(s.get("/api/tasks/billing").status()).isEqualTo(200); // still there
    }

    @Test
    void anOperatorCannotCreateATaskOutsideItsPatternsByNamingItInTheBody() {
        TestServer.Response r = s.send(HttpRequest.newBuilder(URI.create(s.url() + "/api/tasks"))
                .header("Authorization", "Bearer " + OPERATOR_TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"id\": \"payroll\", \"pipeline\": {\"sources\": {\"in\": {\"use\": \"push\"}},"
                                + " \"sinks\": {\"out\": {\"use\": \"memory\", \"from\": \"in\"}}}}")));
        assertThat(r.status()).as(r.body()).isEqualTo(403);
        assertThat(r.json().get("message").asText()).contains("tasks:write on task 'payroll'");
        assertThat(s.get("/api/tasks/payroll").status()).isEqualTo(404);
    }

    @Test
    void anOperatorListsOnlyItsTasksAndIsAuditedUnderItsName() {
        TestServer.Response list = s.send(HttpRequest.newBuilder(URI.create(s.url() + "/api/tasks"))
                .header("Authorization", "Bearer " + OPERATOR_TOKEN)
                .GET());
        assertThat(list.json().get("tasks").findValuesAsText("id")).allMatch(id -> id.startsWith("etl-"));
        TestServer.Response made = s.send(HttpRequest.newBuilder(URI.create(s.url() + "/api/tasks?id=etl-audited"))
                .header("Authorization", "Bearer " + OPERATOR_TOKEN)
                .header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(PIPELINE)));
        assertThat(made.status()).isEqualTo(201);
        JsonNode entries = s.get("/api/audit?who=ci&what=POST").json().get("entries");
        assertThat(entries.findValuesAsText("target")).contains("/api/tasks");
        TestServer.Response whoami = s.send(HttpRequest.newBuilder(URI.create(s.url() + "/api/whoami"))
                .header("Authorization", "Bearer " + OPERATOR_TOKEN)
                .GET());
        assertThat(whoami.json().get("name").asText()).isEqualTo("ci");
        assertThat(whoami.json().get("role").asText()).isEqualTo("operator");
        assertThat(whoami.json().get("tasks").findValuesAsText("")).isEmpty();
        assertThat(whoami.json().get("tasks").get(0).asText()).isEqualTo("etl-*");
    }
}
