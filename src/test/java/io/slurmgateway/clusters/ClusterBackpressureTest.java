package io.slurmgateway.clusters;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterBackpressureTest {

    @TempDir
    Path directory;

    @Test
    void aClusterHasNoBackpressureUnlessConfigured() throws IOException {
        assertThat(ClusterSettings.bind(ClusterSettings.ssh(directory)).backpressure())
                .isEqualTo(ClusterBackpressure.NONE);
    }

    @Test
    void bindsTheSettingsUnderBackpressure() throws IOException {
        Map<String, String> settings = ClusterSettings.ssh(directory);
        settings.put("c.backpressure.max-active-runs", "50");
        settings.put("c.backpressure.max-submissions-per-second", "2.5");
        settings.put("c.backpressure.submission-burst", "4");

        ClusterBackpressure bound = ClusterSettings.bind(settings).backpressure();

        assertThat(bound).isEqualTo(new ClusterBackpressure(50, 2.5, 4));
        assertThat(bound.burst(Duration.ofSeconds(2))).isEqualTo(4);
    }

    @Test
    void theDefaultBurstIsWhatTheRateAllowsInOnePollInterval() {
        assertThat(new ClusterBackpressure(0, 2.5, 0).burst(Duration.ofSeconds(2)))
                .isEqualTo(5);
        assertThat(new ClusterBackpressure(0, 0.1, 0).burst(Duration.ofSeconds(2)))
                .isEqualTo(1);
        assertThat(new ClusterBackpressure(0, 3, 0).burst(Duration.ofMillis(500)))
                .isEqualTo(2);
    }
}
