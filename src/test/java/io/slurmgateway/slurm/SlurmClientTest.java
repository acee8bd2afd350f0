package io.slurmgateway.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.slurmgateway.host.CommandResult;
import io.slurmgateway.host.LocalCommandRunner;
import io.slurmgateway.support.ScriptedHost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlurmClientTest {

    @TempDir
    Path directory;

    @Test
    void sbatchRefusalsKeepSlurmsMessage() {
        SubmitResult result = submitWith(new CommandResult(
                1,
                new byte[0],
                bytes("sbatch: error: invalid partition specified: nosuch\n"
                        + "sbatch: error: Batch job submission failed: Invalid partition name specified\n")));
        assertThat(result)
                .isEqualTo(new SubmitResult.Refused("sbatch: error: invalid partition specified: nosuch\n"
                        + "sbatch: error: Batch job submission failed: Invalid partition name specified"));
        assertThat(submitWith(failure("sbatch: error: Invalid --time specification")))
                .isInstanceOf(SubmitResult.Refused.class);
        assertThat(submitWith(failure(
                        "sbatch: error: Batch job submission failed: Requested node configuration is not available")))
                .isInstanceOf(SubmitResult.Refused.class);
        assertThat(submitWith(failure("sbatch: error: Batch job submission failed: Job violates accounting/QOS policy"
                        + " (job submit limit, user's size and/or time limits)")))
                .isInstanceOf(SubmitResult.Refused.class);
    }

    @Test
    void sbatchFailuresThatMayPassAreUncertain() {
        assertThat(submitWith(failure(
                        "sbatch: error: Batch job submission failed: Socket timed out on send/recv" + " operation")))
                .isInstanceOf(SubmitResult.Uncertain.class);
        assertThat(submitWith(failure("sbatch: error: Batch job submission failed: Unable to contact slurm controller"
                        + " (connect failure)")))
                .isInstanceOf(SubmitResult.Uncertain.class);
        assertThat(submitWith(failure("sbatch: error: Connection reset by peer")))
                .isInstanceOf(SubmitResult.Uncertain.class);
        assertThat(submitWith(new CommandResult(0, bytes("42\n"), new byte[0])))
                .isEqualTo(new SubmitResult.Submitted("42"));
    }

    @Test
    void sbatchRunsUnderAKillingTimeoutAndAKilledOneIsUncertain() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ScriptedHost host = ScriptedHost.answering(
                new CommandResult(0, bytes("42\n"), new byte[0]), new CommandResult(137, new byte[0], new byte[0]));
        SlurmClient client = new SlurmClient("c", host, new SlurmMetrics(meters));

        assertThat(client.stageAndSubmit("/w/r", List.of(), Duration.ofSeconds(45)))
                .isEqualTo(new SubmitResult.Submitted("42"));
        assertThat(host.calls().get(0))
                .containsExactly("bash", "-c", SlurmClient.STAGE_AND_SUBMIT, "gateway-submit", "/w/r", "45");
        assertThat(SlurmClient.STAGE_AND_SUBMIT).contains("exec timeout --signal=KILL \"$limit\" sbatch --parsable");
        assertThat(meters.get("gateway.slurm.commands")
                        .tag("command", "sbatch")
                        .counter()
                        .count())
                .isEqualTo(1);

        assertThat(client.stageAndSubmit("/w/r", List.of(), Duration.ofSeconds(45)))
                .isEqualTo(new SubmitResult.Uncertain("sbatch did not answer within 45 s and was killed"));
    }

    @Test
    void aBrokenConnectionDuringSbatchIsUncertainNotRefused() {
        ScriptedHost broken = new ScriptedHost(argv -> {
            throw new IOException("connection reset");
        });
        assertThat(new SlurmClient("c", broken, new SlurmMetrics(new SimpleMeterRegistry()))
                        .stageAndSubmit("/x", List.of(), Duration.ofSeconds(45)))
                .isInstanceOf(SubmitResult.Uncertain.class);
    }

    @Test
    void squeueOfJobsItNoLongerKnowsIsEmptyNotAnError() throws IOException {
        ScriptedHost host = ScriptedHost.answering(
                new CommandResult(1, new byte[0], bytes("slurm_load_jobs error: Invalid job id specified\n")));
        assertThat(new SlurmClient("c", host, new SlurmMetrics(new SimpleMeterRegistry())).queue(List.of("999")))
                .isEmpty();
        assertThat(host.calls().get(0))
                .containsExactly("squeue", "--noheader", "--states=all", "--jobs=999", "--format=%i|%T|%r");
    }

    @Test
    void findsAJobByNameInTheQueueOrElseInAccounting() throws IOException {
        ScriptedHost host = ScriptedHost.answering(
                new CommandResult(0, new byte[0], new byte[0]), new CommandResult(0, bytes("41\n"), new byte[0]));
        assertThat(new SlurmClient("c", host, new SlurmMetrics(new SimpleMeterRegistry())).findJobByName("sg-x"))
                .contains("41");
        assertThat(host.calls().get(1)).contains("sacct", "--name=sg-x");
    }

    @Test
    void aFailedLookupIsAnErrorNeverNoSuchJob() {
        ScriptedHost host = ScriptedHost.answering(new CommandResult(
                1, new byte[0], bytes("squeue: error: Unable to contact slurm controller (connect failure)\n")));
        assertThatThrownBy(() ->
                        new SlurmClient("c", host, new SlurmMetrics(new SimpleMeterRegistry())).findJobByName("sg-x"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Unable to contact slurm controller");
    }

    @Test
    void manyReadsAreSplitSoNoCommandLineOutgrowsTheArgumentLimit() throws IOException {
        List<Integer> commandSizes = new ArrayList<>();
        ScriptedHost host = new ScriptedHost(argv -> {
            commandSizes.add(String.join(" ", argv).length());
            int files = (argv.size() - 4) / 3;
            return new CommandResult(0, bytes("-1 -1\n".repeat(files)), new byte[0]);
        });
        List<LogRead> reads = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            reads.add(new LogRead("/home/user/slurm-gateway/" + UUID.randomUUID() + "/stdout.log", 123456, 4096));
        }
        List<LogRead.Result> results =
                new SlurmClient("c", host, new SlurmMetrics(new SimpleMeterRegistry())).read(reads);

        assertThat(results).hasSize(3000);
        assertThat(results).extracting(LogRead.Result::request).containsExactlyElementsOf(reads);
        assertThat(commandSizes).hasSizeGreaterThan(1).allSatisfy(size -> assertThat(size)
                .isLessThan(128 * 1024));
    }

    @Test
    void squeueOfMoreJobsThanOneArgumentHoldsAsksForTheUsersJobsAndKeepsOurs() throws IOException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ids.add(String.valueOf(1_000_000 + i));
        }
        ScriptedHost host = ScriptedHost.answering(
                new CommandResult(0, bytes("1000000|RUNNING|None\n42|RUNNING|None\n"), new byte[0]));
        assertThat(new SlurmClient("c", host, new SlurmMetrics(new SimpleMeterRegistry())).queue(ids))
                .containsOnlyKeys("1000000");
        assertThat(host.calls().get(0)).contains("--me");
    }

    @Test
    void sacctAndScancelOfVeryManyJobsAreSplitUnderTheArgumentLimit() throws IOException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            ids.add(String.valueOf(1_000_000 + i));
        }
        ScriptedHost host = new ScriptedHost(argv -> ScriptedHost.succeeded(""));
        SlurmClient client = new SlurmClient("c", host, new SlurmMetrics(new SimpleMeterRegistry()));
        client.accounting(ids);
        client.cancel(ids);

        assertThat(host.programs()).hasSizeGreaterThan(2);
        assertThat(host.calls())
                .allSatisfy(argv -> assertThat(String.join(" ", argv).length()).isLessThan(128 * 1024));
        long cancelled = host.calls().stream()
                .filter(argv -> argv.get(0).equals("scancel"))
                .mapToLong(argv -> argv.size() - 1)
                .sum();
        assertThat(cancelled).isEqualTo(30_000);
    }

    @Test
    void readsManyFilesFromTheirOffsetsInOneCommand() throws IOException {
        Path stdout = Files.write(directory.resolve("stdout.log"), bytes("0123456789"));
        Path binary = Files.write(directory.resolve("binary"), new byte[] {0, '\n', 10, (byte) 0xff, 'x'});
        CountingLocal host = new CountingLocal();
        List<LogRead.Result> results = new SlurmClient("c", host, new SlurmMetrics(new SimpleMeterRegistry()))
                .read(List.of(
                        new LogRead(stdout.toString(), 3, 4),
                        new LogRead(directory.resolve("absent").toString(), 0, 10),
                        new LogRead(binary.toString(), 0, 100),
                        new LogRead(stdout.toString(), 10, 4),
                        new LogRead(directory.resolve("it's $(odd)").toString(), 0, 1),
                        new LogRead(stdout.toString(), 25, 4)));
        assertThat(host.executions).isEqualTo(1);
        assertThat(new String(results.get(0).bytes(), StandardCharsets.UTF_8)).isEqualTo("3456");
        assertThat(results.get(1).missing()).isTrue();
        assertThat(results.get(2).bytes()).containsExactly(0, '\n', 10, (byte) 0xff, 'x');
        assertThat(results.get(3).bytes()).isEmpty();
        assertThat(results.get(3).missing()).isFalse();
        assertThat(results.get(4).missing()).isTrue();
        assertThat(results.get(0).size()).isEqualTo(10);
        assertThat(results.get(0).truncated()).isFalse();
        assertThat(results.get(5).bytes()).isEmpty();
        assertThat(results.get(5).truncated())
                .as("a file shorter than the offset was truncated, as a requeue does")
                .isTrue();
        assertThat(results.get(1).truncated()).isFalse();
    }

    private static SubmitResult submitWith(CommandResult result) {
        return new SlurmClient("c", ScriptedHost.answering(result), new SlurmMetrics(new SimpleMeterRegistry()))
                .stageAndSubmit("/x", List.of(), Duration.ofSeconds(45));
    }

    private static CommandResult failure(String stderr) {
        return new CommandResult(1, new byte[0], bytes(stderr));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The real local host, running the real script with bash, counting the commands. */
    private static final class CountingLocal extends LocalCommandRunner {
        int executions;

        CountingLocal() {
            super(Duration.ofSeconds(30));
        }

        @Override
        public CommandResult execute(List<String> argv) throws IOException {
            executions++;
            return super.execute(argv);
        }
    }
}
