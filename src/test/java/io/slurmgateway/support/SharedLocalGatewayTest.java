package io.slurmgateway.support;

import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One gateway in local mode with default settings, shared by every suite that extends this class: Spring's test
 * context cache starts it once, since the suites declare the same properties (this class's, and none of their own).
 * Suites that share it must not assume they are alone in its database or run directory.
 */
public abstract class SharedLocalGatewayTest extends GatewayTestBase {

    private static Path home;

    @DynamicPropertySource
    static void sharedLocalGateway(DynamicPropertyRegistry registry) {
        synchronized (SharedLocalGatewayTest.class) {
            home = home != null ? reuse(registry, home) : isolate(registry, "shared-local");
        }
    }

    /** The shared gateway's directory: its database and, under {@code runs}, the run directories. */
    protected static Path home() {
        return home;
    }
}
