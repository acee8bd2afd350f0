package io.slurmgateway.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The figures the API derives from what accounting recorded. */
class ResourceUsageTest {

    @Test
    void cpuEfficiencyIsCpuTimeOverAllocatedCpuTime() {
        ResourceUsage burner = new ResourceUsage(5L, 9.955, null, 2, 1, "512M", null);
        assertThat(burner.cpuEfficiency()).isCloseTo(0.9955, within(1e-9));
        assertThat(new ResourceUsage(0L, 1.0, null, 2, 1, null, null).cpuEfficiency())
                .isNull();
        assertThat(new ResourceUsage(5L, null, null, 2, 1, null, null).cpuEfficiency())
                .isNull();
    }

    @Test
    void nodeHoursAreWallTimeTimesNodes() {
        ResourceUsage big = new ResourceUsage(93784L, 172801.0, null, 64, 2, null, 4);
        assertThat(big.nodeHours()).isCloseTo(93784 * 2 / 3600.0, within(1e-9));
        assertThat(new ResourceUsage(null, null, null, null, 2, null, null).nodeHours())
                .isNull();
    }
}
