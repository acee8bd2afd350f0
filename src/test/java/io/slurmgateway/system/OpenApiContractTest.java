package io.slurmgateway.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.slurmgateway.support.SharedIdleGatewayTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The published contract in {@code openapi/openapi.json} must equal what the running gateway serves, in paths and
 * schemas. After an intended API change, regenerate it with
 * {@code ./mvnw test -Dtest=OpenApiContractTest -Dopenapi.update=true} and review the diff.
 */
class OpenApiContractTest extends SharedIdleGatewayTest {

    private static final Path PUBLISHED = Path.of("openapi", "openapi.json");
    private static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Test
    void servedDocumentMatchesThePublishedContract() throws IOException {
        JsonNode served = client.json(client.get("/v3/api-docs"));
        if (Boolean.getBoolean("openapi.update")) {
            Files.createDirectories(PUBLISHED.getParent());
            Files.writeString(PUBLISHED, JSON.writeValueAsString(contractOf(served)) + "\n");
        }

        JsonNode published = JSON.readTree(Files.readString(PUBLISHED));

        assertThat(served.get("paths")).as("paths").isEqualTo(published.get("paths"));
        assertThat(served.get("components").get("schemas"))
                .as("schemas")
                .isEqualTo(published.get("components").get("schemas"));
    }

    /** The parts of the served document that are the contract: everything but the per-start server address. */
    private static JsonNode contractOf(JsonNode served) {
        return ((tools.jackson.databind.node.ObjectNode) served.deepCopy()).without("servers");
    }
}
