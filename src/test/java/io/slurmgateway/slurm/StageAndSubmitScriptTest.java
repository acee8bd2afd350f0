package io.slurmgateway.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slurmgateway.host.FileToWrite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stage-and-submit.sh} run by bash, with a stand-in {@code sbatch} first on the PATH that records its arguments
 * and prints a job id: what the script writes, with which modes, and what it refuses. The real sbatch path is shown
 * on the rig ({@code SlurmRigTest}).
 */
class StageAndSubmitScriptTest {

    @TempDir
    Path directory;

    @Test
    void stagesEveryFileWholeWithPrivateModesThenSubmitsTheBatchScript() throws Exception {
        byte[] payload = new byte[2 * 1024 * 1024 + 7]; // over 1 MB, and bytes that look like headers inside
        new Random(1).nextBytes(payload);
        byte[] lookalike = "job.sh 700 5\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(lookalike, 0, payload, 1000, lookalike.length);
        Path run = directory.resolve("work/run-1");
        List<FileToWrite> files = List.of(
                new FileToWrite("batch.sh", "#!/bin/bash\necho batch\n".getBytes(StandardCharsets.UTF_8), true),
                new FileToWrite("job.sh", "echo job\n".getBytes(StandardCharsets.UTF_8), true),
                new FileToWrite("payload", payload, false),
                new FileToWrite("empty", new byte[0], false));

        Result result = runScript(run, StagedFiles.frame(files));

        assertThat(result.exitStatus()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("42\n");
        assertThat(Files.readString(directory.resolve("sbatch-args"))).isEqualTo("--parsable " + run + "/batch.sh\n");
        assertThat(Files.readAllBytes(run.resolve("payload"))).isEqualTo(payload);
        assertThat(Files.readString(run.resolve("job.sh"))).isEqualTo("echo job\n");
        assertThat(Files.size(run.resolve("empty"))).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(run)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(run.resolve("batch.sh"))))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(run.resolve("payload"))))
                .isEqualTo("rw-------");
        try (var left = Files.list(run)) {
            assertThat(left.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("batch.sh", "job.sh", "payload", "empty");
        }
    }

    @Test
    void aNameThatIsNotPlainIsRefusedAndNothingIsStaged() {
        for (String name : List.of("../escape", "a/b", "$(touch canary)", "", "..", "x".repeat(101))) {
            assertThatThrownBy(() -> StagedFiles.frame(List.of(new FileToWrite(name, new byte[1], false))))
                    .as(name)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void anArchiveCutShortFailsTheStagingAndNothingIsSubmitted() throws Exception {
        byte[] whole = StagedFiles.frame(List.of(
                new FileToWrite("batch.sh", "#!/bin/bash\n".getBytes(StandardCharsets.UTF_8), true),
                new FileToWrite("payload", new byte[5000], false)));
        Path run = directory.resolve("run-3");

        Result result = runScript(run, java.util.Arrays.copyOf(whole, 512 + 512 + 1024));

        assertThat(result.exitStatus()).isEqualTo(96);
        assertThat(result.stderr()).contains("staging failed: the run's files could not be written");
        assertThat(directory.resolve("sbatch-args")).doesNotExist();
    }

    private record Result(int exitStatus, String stdout, String stderr) {}

    private Result runScript(Path run, byte[] stdin) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(directory.resolve("bin"));
        Path sbatch = bin.resolve("sbatch");
        Files.writeString(sbatch, "#!/bin/bash\necho \"$*\" > " + directory.resolve("sbatch-args") + "\necho 42\n");
        Files.setPosixFilePermissions(sbatch, PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder builder = new ProcessBuilder(
                        "bash", "-c", SlurmClient.STAGE_AND_SUBMIT, "test", run.toString(), "5")
                .directory(directory.toFile());
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process process = builder.start();
        process.getOutputStream().write(stdin);
        process.getOutputStream().close();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), stdout, stderr);
    }
}
