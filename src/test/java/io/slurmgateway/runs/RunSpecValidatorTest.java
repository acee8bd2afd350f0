package io.slurmgateway.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.slurmgateway.clusters.ClusterRegistry;
import io.slurmgateway.clusters.ClustersProperties;
import io.slurmgateway.launch.JobScript;
import io.slurmgateway.launch.Launcher;
import io.slurmgateway.launch.LauncherRegistry;
import io.slurmgateway.launch.RunSpec;
import io.slurmgateway.launch.SpecViolation;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

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

    private static RunSpecValidator validator(boolean localModeEnabled, int maxArgs) {
        RunsProperties properties = new RunsProperties(
                "local",
                localModeEnabled,
                DataSize.ofKilobytes(256),
                maxArgs,
                DataSize.ofKilobytes(32),
                128,
                DataSize.ofKilobytes(32));
        return new RunSpecValidator(
                new LauncherRegistry(List.of(new AcceptingLauncher())),
                properties,
                new ClusterRegistry(new ClustersProperties(Map.of())));
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
        public JobScript jobScript(UUID runId, RunSpec spec) {
            throw new UnsupportedOperationException("validation only");
        }
    }
}
