package io.slurmgateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.slurmgateway.support.GatewayTestBase;
import io.slurmgateway.support.TestClusters;
import io.slurmgateway.support.TestIdentityProvider;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The role matrix over every endpoint of a gateway with API tokens and OIDC on, over real HTTP: who gets 401, 403,
 * 404 and 2xx. JWTs are signed by a key this test generates and checked against a JWK set served over real HTTP. The
 * gateway executes nothing here (runs stay ACCEPTED), so every outcome is the security layer's and the runs module's.
 */
class SecurityRoleMatrixTest extends GatewayTestBase {

    private static final TestIdentityProvider IDP = new TestIdentityProvider();
    private static final Map<String, String> TOKENS = new LinkedHashMap<>();
    private static final String SLURM_RUN =
            "{\"asset\": \"demo/a\", \"mode\": \"slurm\", \"cluster\": \"hpc\", \"payload\": {\"script\": \"echo hi\"}}";
    private static final String LOCAL_RUN =
            "{\"asset\": \"demo/a\", \"mode\": \"local\", \"payload\": {\"script\": \"echo hi\"}}";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path home = isolate(registry, "security-matrix");
        registry.add("gateway.execution.enabled", () -> "false");
        TestClusters.unreachable(registry, "hpc", home);
        TestClusters.unreachable(registry, "gpu", home);
        registry.add("gateway.clusters.gpu.access.principals", () -> "alice");
        registry.add("gateway.clusters.gpu.access.roles", () -> "admin");
        registry.add("gateway.clusters.gpu.access.principal-grants.alice.partitions", () -> "debug,long");
        registry.add("gateway.clusters.gpu.access.principal-grants.alice.accounts", () -> "proj-a");
        TestClusters.unreachable(registry, "tenants", home);
        Path key = home.resolve("placeholder-key"); // written by TestClusters, never read
        tenant(registry, key, "team-a", "alice-unix", "principals", "alice");
        tenant(registry, key, "team-b", "bob-unix", "principals", "bob");
        tenant(registry, key, "ops", "operator-unix", "roles", "local");
        token(registry, "alice", "submitter");
        token(registry, "bob", "submitter");
        token(registry, "carol", "submitter,local");
        token(registry, "reader", "reader");
        token(registry, "admin", "admin");
        registry.add("gateway.security.oidc.jwk-set-uri", IDP::jwkSetUri);
        registry.add("gateway.security.oidc.issuer-uri", () -> TestIdentityProvider.ISSUER);
        registry.add("gateway.security.oidc.audience", () -> TestIdentityProvider.AUDIENCE);
        registry.add("gateway.security.limits.requests-per-minute", () -> "0"); // SecurityLimitsTest covers limits
    }

    private static void token(DynamicPropertyRegistry registry, String name, String roles) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String token = "sgw_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        TOKENS.put(name, token);
        registry.add("gateway.security.tokens." + name + ".sha256", () -> ApiTokens.digestOf(token));
        registry.add("gateway.security.tokens." + name + ".roles", () -> roles);
    }

    @AfterAll
    static void stopIdentityProvider() {
        IDP.close();
    }

    @Test
    void everyEndpointRefusesARequestWithoutAValidTokenWith401() {
        String run = created("alice", SLURM_RUN);
        List<String> roles = List.of("submitter", "reader");
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("no token", null);
        refused.put("no bearer value", "Bearer ");
        refused.put("malformed", "Bearer not a token at all");
        refused.put("unknown token", "Bearer sgw_" + "A".repeat(43));
        refused.put("basic credentials", "Basic YWxpY2U6c2VjcmV0");
        refused.put("expired JWT", "Bearer " + IDP.expiredToken("dave", roles));
        refused.put("JWT for another audience", "Bearer " + IDP.tokenForAudience("dave", roles, "other-service"));
        refused.put("JWT from another issuer", "Bearer " + IDP.tokenFromIssuer("dave", roles, "https://evil.invalid"));
        refused.put("JWT with alg none", "Bearer " + IDP.unsignedToken("dave", roles));
        refused.put("JWT signed by a foreign key", "Bearer " + IDP.forgedToken("dave", roles));
        refused.forEach((what, authorization) -> endpoints(run).forEach(endpoint -> {
            HttpResponse<String> response = call(endpoint, authorization);
            assertThat(response.statusCode()).as(what + ": " + endpoint).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate"))
                    .as(what + ": " + endpoint)
                    .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Bearer"));
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(client.json(response).get("type").asString())
                    .isEqualTo("urn:slurm-gateway:problem:unauthorized");
        }));
    }

    @Test
    void readersReadEveryRunButCreateAndCancelNothing() {
        String run = created("alice", SLURM_RUN);
        for (Endpoint endpoint : endpoints(run)) {
            HttpResponse<String> response = call(endpoint, "reader");
            assertThat(response.statusCode())
                    .as(endpoint + " " + response.body())
                    .isEqualTo(endpoint.method().equals("GET") ? 200 : 403);
        }
        assertThat(client.json(call(new Endpoint("POST", "/api/v1/runs", SLURM_RUN), "reader"))
                        .get("type")
                        .asString())
                .isEqualTo("urn:slurm-gateway:problem:forbidden");
        assertThat(ids(call(new Endpoint("GET", "/api/v1/runs?size=200", null), "reader")))
                .contains(run);
    }

    @Test
    void aSubmitterSeesOnlyItsOwnRunsAndAnotherOnesAreNotFound() {
        String alices = created("alice", SLURM_RUN);
        JsonNode run = client.json(call(new Endpoint("GET", "/api/v1/runs/" + alices, null), "alice"));
        assertThat(run.get("createdBy").asString()).isEqualTo("alice");

        for (Endpoint endpoint : endpoints(alices)) {
            if (endpoint.path().contains(alices)) {
                HttpResponse<String> response = call(endpoint, "bob");
                assertThat(response.statusCode())
                        .as(endpoint + " " + response.body())
                        .isEqualTo(404);
                assertThat(client.json(response).get("type").asString())
                        .isEqualTo("urn:slurm-gateway:problem:run-not-found");
            }
        }
        String bobs = created("bob", SLURM_RUN);
        assertThat(ids(call(new Endpoint("GET", "/api/v1/runs?size=200", null), "bob")))
                .contains(bobs)
                .doesNotContain(alices);
        assertThat(ids(call(new Endpoint("GET", "/api/v1/runs?size=200", null), "alice")))
                .contains(alices)
                .doesNotContain(bobs);
        assertThat(ids(call(new Endpoint("GET", "/api/v1/runs?size=200", null), "admin")))
                .contains(alices, bobs);
    }

    @Test
    void aSubmitterCancelsItsOwnRunsAndAnAdminCancelsAny() {
        String own = created("alice", SLURM_RUN);
        HttpResponse<String> cancelled = call(new Endpoint("POST", "/api/v1/runs/" + own + "/cancel", ""), "alice");
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(202);
        assertThat(client.json(cancelled).get("reason").asString()).contains("alice");

        String other = created("bob", SLURM_RUN);
        HttpResponse<String> byAdmin = call(new Endpoint("POST", "/api/v1/runs/" + other + "/cancel", ""), "admin");
        assertThat(byAdmin.statusCode()).as(byAdmin.body()).isEqualTo(202);
        assertThat(client.json(byAdmin).get("state").asString()).isEqualTo("CANCELLED");
        assertThat(client.json(byAdmin).get("reason").asString()).contains("admin");
    }

    @Test
    void localRunsNeedTheLocalRole() {
        HttpResponse<String> refused = call(new Endpoint("POST", "/api/v1/runs", LOCAL_RUN), "alice");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(client.json(refused).get("errors").findValuesAsString("field"))
                .containsExactly("mode");

        HttpResponse<String> admitted = call(new Endpoint("POST", "/api/v1/runs", LOCAL_RUN), "carol");
        assertThat(admitted.statusCode()).as(admitted.body()).isEqualTo(202);
    }

    @Test
    void idempotencyKeysBelongToTheirPrincipal() {
        String other = SLURM_RUN.replace("echo hi", "echo other");
        HttpResponse<String> alices = post("alice", SLURM_RUN, "nightly-1");
        HttpResponse<String> bobs = post("bob", other, "nightly-1");
        assertThat(alices.statusCode()).isEqualTo(202);
        assertThat(bobs.statusCode())
                .as("another principal's key is not this one's")
                .isEqualTo(202);
        assertThat(id(bobs)).isNotEqualTo(id(alices));

        HttpResponse<String> repeat = post("alice", SLURM_RUN, "nightly-1");
        assertThat(repeat.statusCode()).isEqualTo(200);
        assertThat(id(repeat)).isEqualTo(id(alices));
        assertThat(post("alice", other, "nightly-1").statusCode()).isEqualTo(409);
    }

    @Test
    void aJwtOfTheIdentityProviderAuthenticatesItsSubjectWithItsRoles() {
        String jwt = "Bearer " + IDP.token("dave", List.of("submitter"));
        HttpResponse<String> created = client.post("/api/v1/runs", SLURM_RUN, Map.of("Authorization", jwt));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        assertThat(client.json(created).get("createdBy").asString()).isEqualTo("dave");
        assertThat(call(new Endpoint("GET", "/api/v1/runs/" + id(created), null), "alice")
                        .statusCode())
                .isEqualTo(404);

        String readerJwt = "Bearer " + IDP.token("erin", List.of("reader"));
        assertThat(client.post("/api/v1/runs", SLURM_RUN, Map.of("Authorization", readerJwt))
                        .statusCode())
                .isEqualTo(403);
        assertThat(client.get("/api/v1/runs/" + id(created), Map.of("Authorization", readerJwt))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void aClusterAdmitsOnlyItsPrincipalsAndRolesAndWhatTheirGrantsAllow() {
        String onGpu = "{\"asset\": \"demo/a\", \"mode\": \"slurm\", \"cluster\": \"gpu\","
                + " \"payload\": {\"script\": \"echo hi\"}, \"resources\": {%s}}";
        assertRefused(call(new Endpoint("POST", "/api/v1/runs", onGpu.formatted("")), "bob"), "cluster");
        assertRefused(
                call(new Endpoint("POST", "/api/v1/runs", onGpu.formatted("\"partition\": \"gpu\"")), "alice"),
                "resources.partition");
        assertRefused(
                call(
                        new Endpoint(
                                "POST",
                                "/api/v1/runs",
                                onGpu.formatted("\"partition\": \"debug\", \"account\": \"proj-b\"")),
                        "alice"),
                "resources.account");

        assertThat(call(
                                new Endpoint(
                                        "POST",
                                        "/api/v1/runs",
                                        onGpu.formatted("\"partition\": \"long\", \"account\": \"proj-a\"")),
                                "alice")
                        .statusCode())
                .isEqualTo(202);
        assertThat(call(new Endpoint("POST", "/api/v1/runs", onGpu.formatted("\"partition\": \"gpu\"")), "admin")
                        .statusCode())
                .isEqualTo(202);
    }

    @Test
    void aClusterWithTenantIdentitiesRunsEachCallerAsItsOwnAndRefusesCallersWithout() {
        String onTenants = "{\"asset\": \"demo/a\", \"mode\": \"slurm\", \"cluster\": \"tenants\","
                + " \"payload\": {\"script\": \"echo hi\"}}";
        Endpoint create = new Endpoint("POST", "/api/v1/runs", onTenants);

        HttpResponse<String> ofAlice = call(create, "alice");
        HttpResponse<String> ofBob = call(create, "bob");
        HttpResponse<String> ofCarol = call(create, "carol");
        assertThat(ofAlice.statusCode()).as(ofAlice.body()).isEqualTo(202);
        assertThat(client.json(ofAlice).get("clusterIdentity").asString()).isEqualTo("team-a");
        assertThat(client.json(ofBob).get("clusterIdentity").asString()).isEqualTo("team-b");
        assertThat(client.json(ofCarol).get("clusterIdentity").asString())
                .as("carol is in no identity's principals, but holds the role 'local' that 'ops' lists")
                .isEqualTo("ops");
        HttpResponse<String> ofAdmin = call(create, "admin");
        assertRefused(ofAdmin, "cluster");
        assertThat(client.json(ofAdmin).toString()).contains("no identity of cluster 'tenants' is for 'admin'");
        assertThat(call(new Endpoint("POST", "/api/v1/runs", SLURM_RUN), "alice")
                        .body())
                .as("a cluster without identities runs everyone as its own account")
                .contains("\"clusterIdentity\":\"default\"");

        JsonNode forReader = cluster(call(new Endpoint("GET", "/api/v1/clusters", null), "reader"), "tenants");
        assertThat(forReader.get("identities").isNull()).isTrue();
        JsonNode forAdmin = cluster(call(new Endpoint("GET", "/api/v1/clusters", null), "admin"), "tenants");
        assertThat(forAdmin.get("identities").findValuesAsString("name"))
                .containsExactly("default", "ops", "team-a", "team-b");
        assertThat(forAdmin.get("identities").findValuesAsString("user"))
                .containsExactly("nobody", "operator-unix", "alice-unix", "bob-unix");
    }

    private static void tenant(
            DynamicPropertyRegistry registry, Path key, String identity, String user, String mapping, String values) {
        String prefix = "gateway.clusters.tenants.identities." + identity + ".";
        registry.add(prefix + "user", () -> user);
        registry.add(prefix + "private-key", key::toString);
        registry.add(prefix + mapping, () -> values);
    }

    private void assertRefused(HttpResponse<String> response, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(client.json(response).get("errors").findValuesAsString("field"))
                .containsExactly(field);
    }

    @Test
    void onlyAdminsSeeWhereAClusterIsAndWhyItFailed() {
        JsonNode forReader = cluster(call(new Endpoint("GET", "/api/v1/clusters", null), "reader"), "hpc");
        assertThat(forReader.get("name").asString()).isEqualTo("hpc");
        assertThat(forReader.get("host").isNull()).isTrue();
        assertThat(forReader.get("user").isNull()).isTrue();
        assertThat(forReader.get("port").asInt()).isZero();
        assertThat(forReader.get("lastError").isNull()).isTrue();
        assertThat(forReader.get("health").asString()).isIn("DOWN", "UNKNOWN", "UP");

        JsonNode forAdmin = cluster(call(new Endpoint("GET", "/api/v1/clusters", null), "admin"), "hpc");
        assertThat(forAdmin.get("host").asString()).isEqualTo("hpc-login.invalid");
        assertThat(forAdmin.get("user").asString()).isEqualTo("nobody");
        assertThat(forAdmin.get("lastError").asString()).isNotBlank(); // hpc-login.invalid never resolves
    }

    @Test
    void probesAndTheApiDocumentAreOpenAndTheScrapeNeedsTheMetricsRole() {
        assertThat(client.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(client.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(client.get("/actuator/health").statusCode()).isEqualTo(200);
        HttpResponse<String> document = client.get("/v3/api-docs");
        assertThat(document.statusCode()).isEqualTo(200);
        JsonNode bearer =
                client.json(document).get("components").get("securitySchemes").get("bearer");
        assertThat(bearer.get("scheme").asString()).isEqualTo("bearer");

        assertThat(client.get("/actuator/prometheus").statusCode()).isEqualTo(401);
        assertThat(call(new Endpoint("GET", "/actuator/prometheus", null), "reader")
                        .statusCode())
                .isEqualTo(403);
        assertThat(call(new Endpoint("GET", "/actuator/prometheus", null), "admin")
                        .statusCode())
                .isEqualTo(200);
    }

    private JsonNode cluster(HttpResponse<String> clusters, String name) {
        for (JsonNode cluster : client.json(clusters)) {
            if (cluster.get("name").asString().equals(name)) {
                return cluster;
            }
        }
        throw new AssertionError("no cluster " + name + " in " + clusters.body());
    }

    /** One operation of the API, with the body it takes. */
    private record Endpoint(String method, String path, String body) {}

    private static Stream<Endpoint> endpointStream(String run) {
        return Stream.of(
                new Endpoint("GET", "/api/v1/runs", null),
                new Endpoint("POST", "/api/v1/runs", SLURM_RUN),
                new Endpoint("GET", "/api/v1/runs/" + run, null),
                new Endpoint("GET", "/api/v1/runs/" + run + "/logs/stdout", null),
                new Endpoint("GET", "/api/v1/runs/" + run + "/events", null),
                new Endpoint("GET", "/api/v1/runs/" + run + "/results", null),
                new Endpoint("POST", "/api/v1/runs/" + run + "/cancel", ""),
                new Endpoint("GET", "/api/v1/clusters", null));
    }

    private static List<Endpoint> endpoints(String run) {
        return endpointStream(run).toList();
    }

    /** Calls an endpoint as a configured principal, or with the given Authorization header value, or none. */
    private HttpResponse<String> call(Endpoint endpoint, String principalOrAuthorization) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (principalOrAuthorization != null) {
            String token = TOKENS.get(principalOrAuthorization);
            headers.put("Authorization", token != null ? "Bearer " + token : principalOrAuthorization);
        }
        if (endpoint.method().equals("GET")) {
            return client.get(endpoint.path(), headers);
        }
        headers.put("Content-Type", "application/json");
        return client.send(endpoint.method(), endpoint.path(), endpoint.body(), headers);
    }

    private HttpResponse<String> post(String principal, String body, String idempotencyKey) {
        return client.post(
                "/api/v1/runs",
                body,
                Map.of("Authorization", "Bearer " + TOKENS.get(principal), "Idempotency-Key", idempotencyKey));
    }

    private String created(String principal, String body) {
        HttpResponse<String> response = call(new Endpoint("POST", "/api/v1/runs", body), principal);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return id(response);
    }

    private String id(HttpResponse<String> response) {
        return client.json(response).get("id").asString();
    }

    private List<String> ids(HttpResponse<String> page) {
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        return client.json(page).get("items").findValuesAsString("id");
    }
}
