package io.slurmgateway.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.slurmgateway.clusters.ClusterProperties;
import io.slurmgateway.clusters.ClusterRegistry;
import io.slurmgateway.clusters.ClustersProperties;
import io.slurmgateway.launch.JobScript;
import io.slurmgateway.launch.Launcher;
import io.slurmgateway.launch.LauncherRegistry;
import io.slurmgateway.launch.RunSpec;
import io.slurmgateway.launch.SpecViolation;
import io.slurmgateway.slurm.SlurmMetrics;
import io.slurmgateway.support.TestFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/** Rules that depend on configuration, which the HTTP suite runs with at their defaults. */
class RunSpecValidatorTest {

    private static final RunSpec LOCAL_RUN = new RunSpec(
            "demo/a", "local", null, "bash", null, new RunSpec.Payload("true", null), null, null, null, null);

    @Test
    void localRunsAreRefusedWhereLocalModeIsDisabled() {
        assertThat(validator(false, 256).violations(LOCAL_RUN))
                .containsExactly(new SpecViolation("mode", "local runs are disabled on this gateway"));
    }

    @Test
    void limitsComeFromConfiguration() {
        RunSpec threeArgs = new RunSpec(
                "demo/a",
                "local",
                null,
                "bash",
                null,
                new RunSpec.Payload("true", null),
                List.of("a", "b", "c"),
                null,
                null,
                null);

        assertThat(validator(true, 3).violations(threeArgs)).isEmpty();
        assertThat(validator(true, 2).violations(threeArgs))
                .containsExactly(new SpecViolation("args", "must have at most 2 entries"));
    }

    @Test
    void slurmRunsNeedAConfiguredCluster(@TempDir Path directory) throws Exception {
        RunSpec toRig = new RunSpec(
                "demo/a", "slurm", "rig", "bash", null, new RunSpec.Payload("true", null), null, null, null, null);
        RunSpec toNowhere = new RunSpec(
                "demo/a", "slurm", "nowhere", "bash", null, new RunSpec.Payload("true", null), null, null, null, null);
        RunSpec toNone = new RunSpec(
                "demo/a", "slurm", null, "bash", null, new RunSpec.Payload("true", null), null, null, null, null);

        assertThat(validator(true, 256).violations(toRig))
                .containsExactly(
                        new SpecViolation("mode", "'slurm' is not available: this gateway has no cluster configured"));

        Path key = TestFiles.ownerOnly(directory.resolve("key"), "not read here");
        Map<String, String> settings = Map.of(
                "c.host", "login", "c.user", "u", "c.private-key", key.toString(), "c.known-hosts", key.toString());
        ClusterProperties rig = new Binder(new MapConfigurationPropertySource(settings))
                .bind("c", ClusterProperties.class)
                .get();
        RunSpecValidator withRig = validator(true, 256, Map.of("rig", rig, "other", rig));
        assertThat(withRig.violations(toRig)).isEmpty();
        assertThat(withRig.violations(toNowhere))
                .containsExactly(new SpecViolation("cluster", "must be one of [other, rig]"));
        assertThat(withRig.violations(toNone))
                .containsExactly(new SpecViolation("cluster", "is required for Slurm runs: one of [other, rig]"));
    }

    private static RunSpecValidator validator(boolean localModeEnabled, int maxArgs) {
        return validator(localModeEnabled, maxArgs, Map.of());
    }

    private static RunSpecValidator validator(
            boolean localModeEnabled, int maxArgs, Map<String, ClusterProperties> clusters) {
        RunsProperties properties = new RunsProperties(
                "local",
                localModeEnabled,
                DataSize.ofKilobytes(256),
                maxArgs,
                DataSize.ofKilobytes(32),
                128,
                DataSize.ofKilobytes(32),
                java.time.Duration.ofSeconds(15),
                java.time.Duration.ofHours(24),
                0,
                java.time.Duration.ofSeconds(30));
        return new RunSpecValidator(
                new LauncherRegistry(List.of(new AcceptingLauncher())),
                properties,
                new ClusterRegistry(
                        new ClustersProperties(clusters, java.time.Duration.ofSeconds(30)),
                        new SlurmMetrics(new SimpleMeterRegistry())),
                JsonMapper.builder().build());
    }

    /** A launcher that takes any options, so these tests see only the validator's own rules. */
    private static final class AcceptingLauncher implements Launcher {

        @Override
        public String name() {
            return "bash";
        }

        @Override
        public List<SpecViolation> validateOptions(RunSpec spec) {
            return List.of();
        }

        @Override
        public JobScript jobScript(UUID runId, RunSpec spec, io.slurmgateway.launch.LaunchDefaults defaults) {
            throw new UnsupportedOperationException("validation only");
        }
    }
}
