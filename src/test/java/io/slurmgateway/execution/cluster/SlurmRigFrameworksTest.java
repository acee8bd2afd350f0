package io.slurmgateway.execution.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.slurmgateway.support.GatewayTestBase;
import io.slurmgateway.support.SlurmRigAvailable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The frameworks the launchers will start are on the rig's nodes, where a job of the rig's user can run them: Spark
 * (a SPARK_HOME assembled from Maven Central jars, and the project's Pi application) and Dask (Debian's
 * python3-distributed), each run for real inside a Slurm job submitted through the gateway. This checks the rig that
 * scripts/slurm-rig.sh sets up (scripts/rig-frameworks.sh), not a launcher.
 */
@ExtendWith(SlurmRigAvailable.class)
class SlurmRigFrameworksTest extends GatewayTestBase {

    private static final String SPARK_PI =
            """
            #!/bin/bash
            # the driver runs in this JVM; JDK 17 needs the module options that Spark lists for itself
            exec java $(cat "$SPARK_HOME/conf/java-module-options") -Xmx512m -cp "$SPARK_HOME/jars/*" \\
              org.apache.spark.deploy.SparkSubmit --master 'local[2]' --conf spark.ui.enabled=false \\
              --class io.slurmgateway.examples.SparkPi "$1" 4
            """;

    private static final String DASK_WORKERS =
            """
            #!/usr/bin/python3
            from dask.distributed import Client, LocalCluster

            if __name__ == "__main__":
                with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \\
                        Client(cluster) as client:
                    print("workers=%d" % len(client.scheduler_info()["workers"]))
                    print("sum=%d" % client.submit(sum, range(10)).result())
            """;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        isolate(registry, "slurm-rig-frameworks");
        SlurmRigAvailable.properties().forEach((key, value) -> registry.add((String) key, () -> value));
        registry.add("gateway.clusters.rig.poll-interval", () -> "500ms");
        registry.add("gateway.clusters.rig.work-dir", () -> "slurm-gateway-test/" + UUID.randomUUID());
    }

    @Test
    void sparkComputesPiInAJobOnARigNode() {
        Properties rig = SlurmRigAvailable.properties();
        String id = client.createRun(run(
                SPARK_PI,
                List.of(rig.getProperty("rig.frameworks.spark-pi-jar")),
                Map.of(
                        "SPARK_HOME", rig.getProperty("rig.frameworks.spark-home"),
                        "SPARK_SCALA_VERSION", rig.getProperty("rig.frameworks.spark-scala-version"))));

        client.awaitState(id, "COMPLETED", Duration.ofSeconds(180));
        assertThat(client.log(id, "stdout")).contains("Pi is roughly 3.1");
    }

    @Test
    void daskRunsTwoWorkersInAJobOnARigNode() {
        String id = client.createRun(run(DASK_WORKERS, List.of(), Map.of()));

        client.awaitState(id, "COMPLETED", Duration.ofSeconds(180));
        assertThat(client.log(id, "stdout")).contains("workers=2\n").contains("sum=45\n");
    }

    private static String run(String script, List<String> args, Map<String, String> env) {
        return JsonMapper.shared()
                .writeValueAsString(Map.of(
                        "asset",
                        "rig/frameworks",
                        "mode",
                        "slurm",
                        "cluster",
                        "rig",
                        "payload",
                        Map.of("script", script),
                        "args",
                        args,
                        "env",
                        env,
                        "resources",
                        Map.of("cpusPerTask", 2, "memory", "1200M", "timeLimit", "5")));
    }
}
