package io.slurmgateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A whole gateway on a random port with its own H2 database and run directory, reached over real HTTP. Subclasses
 * call {@link #isolate} from their {@code @DynamicPropertySource}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class GatewayTestBase {

    @LocalServerPort
    protected int port;

    protected GatewayClient client;

    @BeforeEach
    protected void connect() {
        client = new GatewayClient(port);
    }

    /** Points the gateway at a fresh database and run directory under a new temporary directory, and returns it. */
    protected static Path isolate(DynamicPropertyRegistry registry, String name) {
        try {
            return reuse(registry, Files.createTempDirectory("gateway-" + name + "-"));
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    /** Points the gateway at the database and run directory under {@code home}, and returns it. */
    protected static Path reuse(DynamicPropertyRegistry registry, Path home) {
        registry.add(
                "spring.datasource.url",
                () -> "jdbc:h2:file:" + home.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000");
        registry.add("gateway.execution.work-dir", () -> home.resolve("runs").toString());
        registry.add("gateway.blobs.dir", () -> home.resolve("blobs").toString());
        registry.add(
                "gateway.blobs.local-cache.dir", () -> home.resolve("cache").toString());
        registry.add("gateway.execution.poll-interval", () -> "100ms");
        registry.add("gateway.api.stream-poll-interval", () -> "50ms");
        return home;
    }
}
