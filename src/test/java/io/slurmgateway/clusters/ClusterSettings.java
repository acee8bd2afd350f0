package io.slurmgateway.clusters;

import io.slurmgateway.support.TestFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** A cluster's settings as flat properties under {@code c}, bound as the gateway binds them, for configuration tests. */
final class ClusterSettings {

    private ClusterSettings() {}

    /** A valid SSH cluster: host, user, an owner-only key under {@code directory}, and it as the known hosts. */
    static Map<String, String> ssh(Path directory) throws IOException {
        Path key = TestFiles.ownerOnly(directory.resolve("key"), "x");
        Map<String, String> settings = new HashMap<>();
        settings.put("c.host", "login");
        settings.put("c.user", "u");
        settings.put("c.private-key", key.toString());
        settings.put("c.known-hosts", key.toString());
        return settings;
    }

    static ClusterProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bind("c", ClusterProperties.class)
                .get();
    }

    /** The settings as the one cluster {@code rig}, checked as at startup. */
    static ClustersProperties clusters(Map<String, String> settings) {
        return new ClustersProperties(Map.of("rig", bind(settings)), Duration.ofSeconds(30));
    }
}
