package io.slurmgateway.execution.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.slurmgateway.support.GatewayTestBase;
import io.slurmgateway.support.SlurmRigAvailable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every ready request in {@code examples/runs/} runs as it is on the rig (as {@code curl -d @examples/runs/<file>}
 * would post it) and prints what it promises; an example without a check here fails the test, so none goes stale.
 */
@ExtendWith(SlurmRigAvailable.class)
class SlurmRigExamplesTest extends GatewayTestBase {

    private static final Path EXAMPLES = Path.of("examples/runs");

    /** What each example's stdout must contain. */
    private static final Map<String, String> PROMISES = Map.of(
            "bash-hello.json", "args: one two words\n",
            "bash-checkpoint.json", "checkpoint saved after ",
            "spark-pi.json", "Pi is roughly 3.1",
            "dask-workers.json", "workers=2\nsum of squares: 328350\n");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        isolate(registry, "slurm-rig-examples");
        SlurmRigAvailable.properties().forEach((key, value) -> registry.add((String) key, () -> value));
        registry.add("gateway.clusters.rig.poll-interval", () -> "500ms");
        registry.add("gateway.clusters.rig.work-dir", () -> "slurm-gateway-test/" + UUID.randomUUID());
    }

    @Test
    void everyExampleRequestRunsAsItIsAndPrintsWhatItPromises() throws IOException {
        List<Path> examples;
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            examples = files.filter(file -> file.toString().endsWith(".json"))
                    .sorted()
                    .toList();
        }
        assertThat(examples).isNotEmpty();
        for (Path example : examples) {
            String name = example.getFileName().toString();
            assertThat(PROMISES).as("a check for %s", name).containsKey(name);
            String id = client.createRun(Files.readString(example));

            client.awaitState(id, "COMPLETED", Duration.ofSeconds(180));
            assertThat(client.log(id, "stdout")).as(name).contains(PROMISES.get(name));
        }
    }
}
