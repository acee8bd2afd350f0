package io.slurmgateway.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The processes of one run on this machine, found by the {@code SLURM_GATEWAY_RUN_ID} every process of a cluster
 * launcher's run carries in its environment (readable for the tests, which run as the gateway's user or as root).
 */
public final class RunProcesses {

    private RunProcesses() {}

    /** The pids of the processes that carry the run's id. */
    public static List<Long> of(String runId) throws IOException {
        String marker = "SLURM_GATEWAY_RUN_ID=" + runId;
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.filter(entry -> entry.getFileName().toString().matches("[0-9]+"))
                    .filter(entry -> carries(entry, marker))
                    .map(entry -> Long.parseLong(entry.getFileName().toString()))
                    .toList();
        }
    }

    /** Waits up to 30 s until no process carries the run's id. */
    public static void assertNoneLeft(String runId) {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() ->
                        assertThat(of(runId)).as("processes of run %s", runId).isEmpty());
    }

    private static boolean carries(Path process, String marker) {
        try {
            return new String(Files.readAllBytes(process.resolve("environ")), StandardCharsets.ISO_8859_1)
                    .contains(marker);
        } catch (IOException | SecurityException gone) {
            return false;
        }
    }
}
