package io.slurmgateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One gateway that accepts and serves runs but executes none ({@code gateway.execution.enabled=false}), with one
 * Slurm cluster configured that it never reaches, and small Dagster Pipes limits: shared by every suite that extends
 * this class, which record a run's progress themselves. Spring's test context cache starts it once. Suites that share
 * it must not assume they are alone in its database.
 */
public abstract class SharedIdleGatewayTest extends GatewayTestBase {

    private static Path home;

    @DynamicPropertySource
    static void sharedIdleGateway(DynamicPropertyRegistry registry) {
        synchronized (SharedIdleGatewayTest.class) {
            home = home != null ? reuse(registry, home) : isolate(registry, "shared-idle");
        }
        Path placeholder = placeholder(home);
        registry.add("gateway.execution.enabled", () -> "false"); // runs stay ACCEPTED: the suites move them
        registry.add("gateway.clusters.hpc.host", () -> "login.invalid");
        registry.add("gateway.clusters.hpc.user", () -> "nobody");
        registry.add("gateway.clusters.hpc.private-key", placeholder::toString);
        registry.add("gateway.clusters.hpc.known-hosts", placeholder::toString);
        registry.add("gateway.pipes.max-message-size", () -> "256B");
        registry.add("gateway.pipes.excerpt-size", () -> "20B");
        registry.add("gateway.pipes.batch-lines", () -> "2"); // relay transactions end mid-read too
        registry.add("gateway.api.max-event-bytes-per-read", () -> "300B");
    }

    private static Path placeholder(Path home) {
        try {
            Path file = home.resolve("placeholder");
            return Files.exists(file) ? file : TestFiles.ownerOnly(file, "never read: nothing is executed");
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }
}
