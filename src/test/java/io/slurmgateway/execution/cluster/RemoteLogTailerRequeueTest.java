package io.slurmgateway.execution.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.slurmgateway.execution.LogStore;
import io.slurmgateway.execution.RunFiles;
import io.slurmgateway.host.CommandResult;
import io.slurmgateway.runs.LogStream;
import io.slurmgateway.runs.RunEvent;
import io.slurmgateway.runs.RunEventType;
import io.slurmgateway.runs.RunLogService;
import io.slurmgateway.runs.RunService;
import io.slurmgateway.runs.RunState;
import io.slurmgateway.slurm.SlurmClient;
import io.slurmgateway.slurm.SlurmMetrics;
import io.slurmgateway.support.ScriptedHost;
import io.slurmgateway.support.SharedIdleGatewayTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A requeued job's output, against the real log store: Slurm truncates the output file and writes it again from the
 * start, and the tailer copies the new attempt in full after a marker line, also when the gateway restarted in
 * between. The login node is played by a host that answers the read command from files held in memory, in the read
 * script's format.
 */
class RemoteLogTailerRequeueTest extends SharedIdleGatewayTest {

    private static final String DIRECTORY = "/home/user/slurm-gateway/requeued";
    private static final String MARKER = LogStore.REQUEUE_MARKER;

    @Autowired
    private RemoteLogTailer tailer;

    @Autowired
    private RunLogService logs;

    @Autowired
    private RunService runs;

    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final SlurmClient slurm =
            new SlurmClient("c", new ScriptedHost(this::read), new SlurmMetrics(new SimpleMeterRegistry()));

    @Test
    void aTruncatedOutputFileIsCopiedAgainFromItsStartAfterAMarker() throws Exception {
        UUID runId = run();
        ActiveJob job = job(runId);
        copy(job, "first attempt 1\nfirst attempt 2\n");

        write("second 1\n"); // requeued: shorter than what was copied
        assertThat(tailer.copyRound(slurm, List.of(job)).more())
                .as("the new attempt is read in the next round")
                .isTrue();
        tailer.copyRound(slurm, List.of(job));
        copy(job, "second 1\nsecond attempt 2, longer than the first attempt was\n");

        assertThat(stored(runId))
                .isEqualTo("first attempt 1\nfirst attempt 2\n" + MARKER
                        + "second 1\nsecond attempt 2, longer than the first attempt was\n");
        assertThat(notes(runId)).singleElement().asString().contains("requeued").contains("stdout");
    }

    @Test
    void aMarkerIsALineOfItsOwnAfterOutputWithoutANewline() throws Exception {
        UUID runId = run();
        ActiveJob job = job(runId);
        copy(job, "no newline at the end");
        copy(job, "again");

        assertThat(stored(runId)).isEqualTo("no newline at the end\n" + MARKER + "again");
    }

    @Test
    void afterARestartTheStoredMarkerTellsWhereTheFileStartsAndANewRequeueIsStillSeen() throws Exception {
        UUID runId = run();
        ActiveJob job = job(runId);
        copy(job, "attempt one, quite a long line of output\n");
        copy(job, "two\n");

        ActiveJob restarted = job(runId); // a restarted gateway knows only what the store holds
        tailer.resume(restarted);
        copy(restarted, "two\nthree\n");
        assertThat(stored(runId)).isEqualTo("attempt one, quite a long line of output\n" + MARKER + "two\nthree\n");

        copy(restarted, "x\n"); // requeued once more
        assertThat(stored(runId))
                .isEqualTo("attempt one, quite a long line of output\n" + MARKER + "two\nthree\n" + MARKER + "x\n");
        assertThat(notes(runId)).hasSize(2);
    }

    @Test
    void anOutputThatOnlyGrowsIsCopiedWithoutMarkersAcrossARestart() throws Exception {
        UUID runId = run();
        ActiveJob job = job(runId);
        copy(job, "a\n");
        ActiveJob restarted = job(runId);
        tailer.resume(restarted);
        copy(restarted, "a\nb\n");

        assertThat(stored(runId)).isEqualTo("a\nb\n");
        assertThat(notes(runId)).isEmpty();
    }

    private UUID run() {
        return UUID.fromString(client.createRun(
                "{\"asset\": \"rig/requeue\", \"mode\": \"slurm\", \"payload\": {\"script\": \"true\"}}"));
    }

    private static ActiveJob job(UUID runId) {
        return new ActiveJob(runId, "4242", DIRECTORY, RunState.RUNNING, false);
    }

    /** Writes the job's stdout file anew and copies until the tailer has nothing more to read. */
    private void copy(ActiveJob job, String stdout) throws Exception {
        write(stdout);
        for (int round = 0; round < 5 && tailer.copyRound(slurm, List.of(job)).more(); round++) {
            // a round that found a truncated file reads it again in the next one
        }
    }

    private void write(String stdout) {
        files.put(DIRECTORY + "/" + RunFiles.logFile(LogStream.STDOUT), stdout.getBytes(StandardCharsets.UTF_8));
    }

    private String stored(UUID runId) {
        return new String(logs.read(runId, LogStream.STDOUT, 0, 1 << 20).bytes(), StandardCharsets.UTF_8);
    }

    private List<String> notes(UUID runId) {
        return runs.events(runId, 0, 100, Long.MAX_VALUE).events().stream()
                .filter(event -> event.getType() == RunEventType.LOG)
                .map(RunEvent::getData)
                .filter(data -> data.contains("requeued"))
                .toList();
    }

    /** What read-files.sh prints for "path offset max" triples: "count size" (or "-1 -1"), then the bytes. */
    private CommandResult read(List<String> argv) {
        assertThat(argv.subList(0, 2)).containsExactly("bash", "-c");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 4; i + 2 < argv.size(); i += 3) {
            byte[] file = files.get(argv.get(i));
            if (file == null) {
                out.writeBytes("-1 -1\n".getBytes(StandardCharsets.US_ASCII));
                continue;
            }
            long offset = Long.parseLong(argv.get(i + 1));
            int count = (int) Math.max(0, Math.min(file.length - offset, Long.parseLong(argv.get(i + 2))));
            out.writeBytes((count + " " + file.length + "\n").getBytes(StandardCharsets.US_ASCII));
            out.write(file, (int) Math.min(offset, file.length), count);
        }
        return new CommandResult(0, out.toByteArray(), new byte[0]);
    }
}
