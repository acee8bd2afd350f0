package io.slurmgateway.blobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.slurmgateway.support.GatewayTestBase;
import io.slurmgateway.support.Packs;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The blob API over real HTTP: what is stored, what is refused, and that a refused upload leaves nothing behind. The
 * quota test fills the store, so it runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BlobApiTest extends GatewayTestBase {

    private static Path home;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        home = isolate(registry, "blob-api");
        registry.add("gateway.blobs.max-size", () -> "1MB");
        registry.add("gateway.blobs.quota", () -> "3MB");
    }

    @Test
    void aNewBlobIs201AndTheSameAgainIs200WithoutBeingStoredTwice() throws Exception {
        byte[] bytes = "print('hello')\n".getBytes(StandardCharsets.UTF_8);
        String digest = Packs.digest(bytes);

        HttpResponse<String> first = Packs.put(port, digest, bytes, Map.of());
        HttpResponse<String> second = Packs.put(port, digest, bytes, Map.of());

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.headers().firstValue("Location")).hasValue("/api/v1/blobs/" + digest);
        assertThat(second.statusCode()).isEqualTo(200);
        JsonNode blob = client.json(first);
        assertThat(blob.get("digest").asString()).isEqualTo(digest);
        assertThat(blob.get("size").asLong()).isEqualTo(bytes.length);
        assertThat(stored()).containsExactly(digest.substring("sha256:".length()));
        assertThat(client.get("/api/v1/blobs/" + digest).statusCode()).isEqualTo(200);
        assertThat(Packs.head(port, digest)).isEqualTo(200);
        assertThat(client.json(client.get("/api/v1/blobs")).get("items").toString())
                .contains(digest);
    }

    @Test
    void bytesThatAreNotTheDigestsAre400AndNothingIsStored() throws Exception {
        byte[] bytes = "the real bytes".getBytes(StandardCharsets.UTF_8);
        String other = Packs.digest("other bytes".getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> response = Packs.put(port, other, bytes, Map.of());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(client.json(response).get("type").asString()).endsWith("digest-mismatch");
        assertThat(client.json(response).get("actual").asString()).isEqualTo(Packs.digest(bytes));
        assertThat(stored()).doesNotContain(other.substring(7));
        assertThat(incoming()).isEmpty();
        assertThat(Packs.head(port, other)).isEqualTo(404);
    }

    @Test
    void anUploadOverTheSizeLimitIs413AndNothingIsStored() throws Exception {
        byte[] bytes = new byte[1024 * 1024 + 1];
        String digest = Packs.digest(bytes);

        HttpResponse<String> response = Packs.put(port, digest, bytes, Map.of());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(stored()).doesNotContain(digest.substring(7));
        assertThat(incoming()).isEmpty();
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void anUploadPastTheQuotaIs507() throws Exception {
        for (int i = 0; i < 3; i++) {
            byte[] bytes = new byte[900 * 1024];
            bytes[0] = (byte) (100 + i);
            Packs.upload(port, bytes);
        }
        byte[] more = new byte[900 * 1024];
        more[0] = 1;

        HttpResponse<String> response = Packs.put(port, Packs.digest(more), more, Map.of());

        assertThat(response.statusCode()).isEqualTo(507);
        assertThat(client.json(response).get("detail").asString()).contains("gateway.blobs.quota");
        assertThat(stored()).doesNotContain(Packs.digest(more).substring(7));

        // an inline file of a run is stored as a blob too: past the quota, the run is refused on that file
        byte[] inline = new byte[400 * 1024];
        inline[0] = 2;
        HttpResponse<String> run = client.post(
                "/api/v1/runs",
                "{\"asset\": \"blobs/inline\", \"mode\": \"local\", \"payload\": {\"script\": \"true\"},"
                        + " \"files\": {\"big.bin\": {\"base64\": \""
                        + java.util.Base64.getEncoder().encodeToString(inline) + "\"}}}",
                Map.of("Content-Type", "application/json"));
        assertThat(run.statusCode()).as(run.body()).isEqualTo(400);
        assertThat(run.body()).contains("\"field\":\"files.big.bin\"").contains("gateway.blobs.quota");
    }

    @Test
    void anInterruptedUploadLeavesNothingBehind() throws Exception {
        byte[] bytes = new byte[512 * 1024];
        bytes[1] = 7;
        String digest = Packs.digest(bytes);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /api/v1/blobs/" + digest + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Content-Type: application/octet-stream\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bytes, 0, bytes.length / 2);
            out.flush();
            socket.shutdownOutput(); // the client goes away half way
            InputStream in = socket.getInputStream();
            in.readAllBytes(); // the gateway answers or closes once it saw the end of the body early
        }

        assertThat(Packs.head(port, digest)).isEqualTo(404);
        assertThat(stored()).doesNotContain(digest.substring(7));
        assertThat(incoming()).isEmpty();
    }

    @Test
    void aMalformedDigestIs400() {
        HttpResponse<String> response = Packs.put(port, "sha256:xyz", new byte[] {1}, Map.of());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(client.json(response).get("errors").get(0).get("field").asString())
                .isEqualTo("digest");
    }

    private static java.util.List<String> stored() throws Exception {
        try (Stream<Path> files = Files.list(home.resolve("blobs").resolve("sha256"))) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }

    private static java.util.List<Path> incoming() throws Exception {
        try (Stream<Path> files = Files.list(home.resolve("blobs").resolve("incoming"))) {
            return files.toList();
        }
    }
}
