package io.slurmgateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Clusters for tests whose gateway accepts Slurm runs but never reaches a cluster. */
public final class TestClusters {

    private TestClusters() {}

    /**
     * Configures cluster {@code name} at a login host that never resolves, with a placeholder key (owner-only, as the
     * gateway demands) under {@code home}.
     */
    public static void unreachable(DynamicPropertyRegistry registry, String name, Path home) {
        Path placeholder = home.resolve("placeholder-key");
        try {
            if (!Files.exists(placeholder)) {
                TestFiles.ownerOnly(placeholder, "never read: the cluster is never reached");
            }
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
        String prefix = "gateway.clusters." + name + ".";
        registry.add(prefix + "host", () -> name + "-login.invalid");
        registry.add(prefix + "user", () -> "nobody");
        registry.add(prefix + "private-key", placeholder::toString);
        registry.add(prefix + "known-hosts", placeholder::toString);
    }
}
