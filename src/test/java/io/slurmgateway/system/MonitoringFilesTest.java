package io.slurmgateway.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.slurmgateway.support.MonitoringFiles;
import org.junit.jupiter.api.Test;

/**
 * The shipped dashboard and alert rules parse and query gateway metrics; that each metric exists in a real scrape is
 * checked on the Slurm rig (SlurmRigTest), since most of them need a cluster.
 */
class MonitoringFilesTest {

    @Test
    void theDashboardAndAlertRulesParseAndQueryGatewayMetrics() {
        assertThat(MonitoringFiles.expressions()).hasSizeGreaterThan(15).allSatisfy(expression -> assertThat(expression)
                .contains("gateway_"));
        assertThat(MonitoringFiles.metricNames())
                .contains(
                        "gateway_runs",
                        "gateway_cluster_up",
                        "gateway_runs_oldest_age_seconds",
                        "gateway_ssh_connect_failures_total");
    }
}
