package io.slurmgateway.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import io.slurmgateway.launch.JobScript;
import io.slurmgateway.launch.LaunchDefaults;
import io.slurmgateway.launch.LauncherRegistry;
import io.slurmgateway.launch.RunSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * The batch scripts of the spark, dask and ray launchers on one node and on two, compared with golden files in
 * src/test/resources/golden: they are pure functions of the run, its options and the cluster's defaults, so any
 * change to what a job runs shows up here. {@code -Dgolden.update=true} rewrites the files after a deliberate change.
 */
class ClusterLauncherGoldenTest {

    private static final UUID RUN_ID = UUID.fromString("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final LaunchDefaults DEFAULTS = new LaunchDefaults(
            new LaunchDefaults.Spark(
                    "/opt/spark", "2.12", "java", List.of("--add-opens=java.base/java.lang=ALL-UNNAMED"), List.of()),
            new LaunchDefaults.Python("/usr/bin/python3", "/opt/venv/bin/activate"),
            new LaunchDefaults.Dask(List.of(), List.of("--nworkers=1")),
            new LaunchDefaults.Ray("/opt/ray/bin/ray", List.of("--disable-usage-stats")));

    static Stream<Arguments> runs() {
        return Stream.of(1, 2)
                .flatMap(nodes -> Stream.of(
                        Arguments.of(
                                "spark",
                                nodes,
                                Map.of(
                                        "mainClass",
                                        "org.example.Pi",
                                        "conf",
                                        Map.of("spark.sql.shuffle.partitions", "8")),
                                new RunSpec.Payload(null, "/home/u/pi.jar")),
                        Arguments.of(
                                "dask",
                                nodes,
                                Map.of("workerThreads", 2, "workerMemory", "1G"),
                                new RunSpec.Payload("print('hi')\n", null)),
                        Arguments.of(
                                "ray",
                                nodes,
                                Map.of(
                                        "objectStoreMemory",
                                        "2G",
                                        "gpusPerNode",
                                        0,
                                        "preStart",
                                        List.of("module load ray")),
                                new RunSpec.Payload(null, "/home/u/train.py"))));
    }

    @ParameterizedTest(name = "{0} on {1} node(s)")
    @MethodSource("runs")
    void batchScriptIsAPureFunctionOfTheRun(
            String launcher, int nodes, Map<String, Object> options, RunSpec.Payload payload) throws IOException {
        RunSpec spec = new RunSpec(
                "a/b",
                "slurm",
                "hpc",
                launcher,
                options,
                payload,
                List.of("--size", "10"),
                Map.of("KEY", "value"),
                new RunSpec.Resources(
                        "debug", nodes, null, 2, "2G", null, "30", null, null, null, null, null, "USR1@60"),
                null);
        JobScript job;
        try (var context = new AnnotationConfigApplicationContext("io.slurmgateway.launch")) {
            LauncherRegistry launchers = context.getBean(LauncherRegistry.class);
            assertThat(launchers.get(launcher).validateOptions(spec)).isEmpty();
            job = launchers.get(launcher).jobScript(RUN_ID, spec, DEFAULTS);
        }

        String batch = BatchScript.render(RUN_ID, "/home/u/runs/" + RUN_ID, job, spec.resources());

        assertGolden(launcher + "-" + nodes + "-node.batch.sh", batch);
        assertThat(job.files()).extracting(JobScript.StagedFile::name).contains("framework.sh", "claim-ports.sh");
    }

    private static void assertGolden(String name, String actual) throws IOException {
        Path file = GOLDEN.resolve(name);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertThat(file)
                .as("golden file %s (-Dgolden.update=true writes it)", name)
                .exists();
        assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
}
