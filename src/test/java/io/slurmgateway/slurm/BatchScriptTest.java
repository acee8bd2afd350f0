package io.slurmgateway.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.slurmgateway.launch.JobScript;
import io.slurmgateway.launch.RunSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchScriptTest {

    private static final UUID RUN = UUID.fromString("6f1c2b9e-1d7a-4f57-9a33-1c0e4b9a0d21");

    @TempDir
    Path directory;

    @Test
    void everyResourceBecomesAnSbatchLine() {
        RunSpec.Resources resources = new RunSpec.Resources(
                "long", 2, 4, 8, "16G", 1, "1-02:03:04", "high", "proj", "maint", "a&b", true, null);
        String script = BatchScript.render(RUN, "/home/u/sg/" + RUN, job(Map.of(), List.of()), resources);
        assertThat(script)
                .startsWith("#!/bin/bash\n")
                .contains(
                        "#SBATCH --job-name=sg-" + RUN + "\n",
                        "#SBATCH --chdir=/home/u/sg/" + RUN + "\n",
                        "#SBATCH --output=/home/u/sg/" + RUN + "/stdout.log\n",
                        "#SBATCH --error=/home/u/sg/" + RUN + "/stderr.log\n",
                        "#SBATCH --partition=long\n",
                        "#SBATCH --time=1-02:03:04\n",
                        "#SBATCH --nodes=2\n",
                        "#SBATCH --ntasks=4\n",
                        "#SBATCH --cpus-per-task=8\n",
                        "#SBATCH --mem=16G\n",
                        "#SBATCH --gpus=1\n",
                        "#SBATCH --qos=high\n",
                        "#SBATCH --account=proj\n",
                        "#SBATCH --reservation=maint\n",
                        "#SBATCH --constraint=a&b\n",
                        "#SBATCH --exclusive\n")
                .endsWith("exec '/bin/bash' './job.sh'\n");
    }

    @Test
    void aValueThatCouldCarryAnotherOptionIsRefused() {
        for (RunSpec.Resources bad : List.of(
                new RunSpec.Resources(
                        "debug\n#SBATCH --uid=0",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null),
                new RunSpec.Resources(
                        null, null, null, null, "1G --wrap=x", null, null, null, null, null, null, null, null),
                new RunSpec.Resources(
                        null, null, null, null, null, null, "1 --x", null, null, null, null, null, null))) {
            assertThatThrownBy(() -> BatchScript.render(RUN, "/d", job(Map.of(), List.of()), bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> BatchScript.render(RUN, "/d ir", job(Map.of(), List.of()), RunSpec.Resources.NONE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The rendered script run by a real bash: the values arrive byte for byte and nothing in them executes. */
    @Test
    void environmentValuesAndArgumentsAreDataToARealBash() throws Exception {
        Path canary = directory.resolve("canary");
        List<String> hostile = List.of(
                "'; touch " + canary + "; '",
                "$(touch " + canary + ")",
                "`touch " + canary + "`",
                "two\nlines; touch " + canary,
                "\\'\"\\\"$HOME ${PATH} * ? ~ !! & | ; < > #",
                "");
        Map<String, String> env = new java.util.TreeMap<>();
        for (int i = 0; i < hostile.size(); i++) {
            env.put("V" + i, hostile.get(i));
        }
        String jobText = "for i in 0 1 2 3 4 5; do n=V$i; printf '%s|' \"${!n}\"; done; printf '%s|' \"$@\"\n";
        Files.writeString(directory.resolve(JobScript.SCRIPT_NAME), jobText);
        String script = BatchScript.render(
                RUN, directory.toString(), new JobScript(jobText, hostile, env, List.of()), RunSpec.Resources.NONE);
        Path batch = Files.writeString(directory.resolve(BatchScript.NAME), script);

        Process bash = new ProcessBuilder("/bin/bash", batch.toString())
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor()).isZero();
        String expected = String.join("|", hostile) + "|";
        assertThat(output).isEqualTo(expected + expected);
        assertThat(canary).doesNotExist();
    }

    /** What the gateway staged runs; a file rewritten after staging stops the job before anything of it runs. */
    @Test
    void aStagedFileChangedAfterStagingStopsTheJobBeforeAnythingRuns() throws Exception {
        Path canary = directory.resolve("canary");
        String jobText = "#!/bin/bash\nexec /bin/bash ./payload\n";
        JobScript job = new JobScript(
                jobText, List.of(), Map.of(), List.of(new JobScript.StagedFile("payload", "echo staged\n", true)));
        Path batch = Files.writeString(
                directory.resolve(BatchScript.NAME),
                BatchScript.render(RUN, directory.toString(), job, RunSpec.Resources.NONE));
        Files.writeString(directory.resolve(JobScript.SCRIPT_NAME), jobText);
        Files.writeString(directory.resolve("payload"), "echo staged\n");

        Result unchanged = bash(batch);
        assertThat(unchanged.exit()).isZero();
        assertThat(unchanged.output()).isEqualTo("staged\n");

        Files.writeString(directory.resolve("payload"), "touch " + canary + "\n"); // another process of the account
        Result changed = bash(batch);
        assertThat(changed.exit()).isEqualTo(BatchScript.STAGED_FILES_CHANGED);
        assertThat(changed.output()).contains("a staged file of run " + RUN + " changed after it was staged");
        assertThat(canary).doesNotExist();

        Files.writeString(directory.resolve("payload"), "echo staged\n");
        Files.writeString(directory.resolve(JobScript.SCRIPT_NAME), jobText + "touch " + canary + "\n");
        assertThat(bash(batch).exit()).isEqualTo(BatchScript.STAGED_FILES_CHANGED);
        assertThat(canary).doesNotExist();
    }

    @Test
    void aPreTimeoutSignalBecomesAnSbatchLineForTheBatchShell() {
        String script = BatchScript.render(RUN, "/d", job(Map.of(), List.of()), signal("SIGUSR2@90"));

        assertThat(script).contains("#SBATCH --signal=B:USR2@90\n").contains("trap forward USR2 ");
        assertThatThrownBy(() -> BatchScript.render(RUN, "/d", job(Map.of(), List.of()), signal("KILL@60")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * The batch shell that gets the signal (as Slurm's {@code --signal=B:} sends it) passes it on to the job's whole
     * process group, notes it for the gateway, and ends with the job's own exit status.
     */
    @Test
    void theBatchShellForwardsTheSignalToTheJobsProcessGroupAndKeepsItsExitStatus() throws Exception {
        String jobText =
                """
                trap 'touch payload-signalled; exit 3' USR1
                bash -c 'trap "touch child-signalled; exit 0" USR1; sleep 600 & touch child-ready; wait' &
                touch payload-ready
                wait
                """;
        Process batch = startWithSignal(jobText);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Files.exists(directory.resolve("payload-ready"))
                        && Files.exists(directory.resolve("child-ready")));

        new ProcessBuilder("kill", "-USR1", String.valueOf(batch.pid())).start().waitFor();

        assertThat(exitOf(batch)).isEqualTo(3);
        assertThat(directory.resolve("payload-signalled")).exists();
        // the child is its own process: it got the signal with the group, but may note it after the job has ended
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(directory.resolve("child-signalled")));
        assertThat(Files.readString(directory.resolve(JobScript.SIGNALS_FILE))).matches("USR1 [0-9]{10}\n");
    }

    @Test
    void aJobThatDoesNotTrapTheSignalEndsWithItsOwnStatusForIt() throws Exception {
        Process batch = startWithSignal("touch payload-ready\nsleep 600 & wait\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(directory.resolve("payload-ready")));

        new ProcessBuilder("kill", "-USR1", String.valueOf(batch.pid())).start().waitFor();

        assertThat(exitOf(batch)).isEqualTo(128 + 10); // killed by SIGUSR1, as the job itself would report
        assertThat(Files.readString(directory.resolve(JobScript.SIGNALS_FILE))).startsWith("USR1 ");
    }

    @Test
    void withoutTheSignalTheJobEndsAsItWould() throws Exception {
        Process batch = startWithSignal("exit 7\n");

        assertThat(exitOf(batch)).isEqualTo(7);
        assertThat(directory.resolve(JobScript.SIGNALS_FILE)).doesNotExist();
    }

    /** The batch shell's exit status; a shell still running after a minute fails the test, with its tree ended. */
    private static int exitOf(Process batch) throws InterruptedException {
        if (!batch.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            batch.descendants().forEach(ProcessHandle::destroyForcibly);
            batch.destroyForcibly();
            throw new AssertionError("the batch shell did not end within a minute");
        }
        return batch.exitValue();
    }

    private Process startWithSignal(String jobText) throws Exception {
        Files.writeString(directory.resolve(JobScript.SCRIPT_NAME), jobText);
        Path batch = Files.writeString(
                directory.resolve(BatchScript.NAME),
                BatchScript.render(
                        RUN,
                        directory.toString(),
                        new JobScript(jobText, List.of(), Map.of(), List.of()),
                        signal("USR1@60")));
        return new ProcessBuilder("/bin/bash", batch.toString())
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
    }

    private static RunSpec.Resources signal(String signal) {
        return new RunSpec.Resources(null, null, null, null, null, null, null, null, null, null, null, null, signal);
    }

    private record Result(int exit, String output) {}

    private Result bash(Path batch) throws Exception {
        Process bash = new ProcessBuilder("/bin/bash", batch.toString())
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(bash.waitFor(), output);
    }

    private static JobScript job(Map<String, String> env, List<String> args) {
        return new JobScript("#!/bin/bash\n", args, env, List.of());
    }
}
