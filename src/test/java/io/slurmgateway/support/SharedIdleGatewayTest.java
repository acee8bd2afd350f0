package io.slurmgateway.support;

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
        registry.add("gateway.execution.enabled", () -> "false"); // runs stay ACCEPTED: the suites move them
        TestClusters.unreachable(registry, "hpc", home);
        registry.add("gateway.pipes.max-message-size", () -> "256B");
        registry.add("gateway.pipes.excerpt-size", () -> "20B");
        registry.add("gateway.pipes.batch-lines", () -> "2"); // relay transactions end mid-read too
        registry.add("gateway.api.max-event-bytes-per-read", () -> "300B");
    }
}
