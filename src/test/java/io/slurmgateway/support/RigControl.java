package io.slurmgateway.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Faults and facts on the Slurm rig, by the rig's own means and independently of the gateway: stopping and starting
 * its sshd and slurmctld, and asking Slurm's accounting which jobs exist. Needs root, as the rig does.
 */
public final class RigControl {

    private RigControl() {}

    /** The rig's state directory, beside its gateway configuration. */
    public static Path rigDirectory() {
        return SlurmRigAvailable.CONFIG.toAbsolutePath().getParent();
    }

    public static String user() {
        return SlurmRigAvailable.properties().getProperty("gateway.clusters.rig.user");
    }

    /**
     * Stops the rig's sshd and every SSH session it had open, as a crashed login node would: the gateway's pooled
     * connections break, and no new one is accepted.
     */
    public static void stopSshd() throws IOException {
        Path pidFile = rigDirectory().resolve("ssh/sshd.pid");
        run("kill", Files.readString(pidFile).strip());
        // the listener's end leaves established sessions alone: end them too
        new ProcessBuilder("pkill", "-KILL", "-f", "^sshd: " + user())
                .start()
                .onExit()
                .join();
        await().atMost(Duration.ofSeconds(30)).until(() -> !isRunning("sshd: " + user()) && !answers());
    }

    /** Stops slurmctld; the nodes keep running their jobs, and report them once it is back. */
    public static void stopSlurmctld() throws IOException {
        run("kill", Files.readString(Path.of("/run/slurmctld.pid")).strip());
        await().atMost(Duration.ofSeconds(60)).until(() -> !isRunning("/usr/sbin/slurmctld"));
    }

    /** Starts whatever of the rig is not running, and waits until it works ({@code slurm-rig.sh up}). */
    public static void up() throws IOException {
        ProcessBuilder script = new ProcessBuilder("scripts/slurm-rig.sh", "up");
        script.environment().put("RIG_DIR", rigDirectory().toString());
        Process process = script.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new IOException("slurm-rig.sh up failed: " + output);
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IOException(interrupted);
        }
    }

    /**
     * The Slurm jobs (allocations) accounting knows by name, for each of {@code names} that has any: name to job
     * ids. Accounting lags squeue by a second or so; callers wait for what they expect.
     */
    public static Map<String, List<String>> jobsByName(Collection<String> names) throws IOException {
        Map<String, List<String>> jobs = new HashMap<>();
        List<String> all = List.copyOf(names);
        for (int from = 0; from < all.size(); from += 200) {
            String listed = String.join(",", all.subList(from, Math.min(all.size(), from + 200)));
            String output = run(
                    "sacct",
                    "--allusers",
                    "--allocations",
                    "--noheader",
                    "--parsable2",
                    "--starttime=now-1days",
                    "--name=" + listed,
                    "--format=JobName,JobID");
            for (String line : output.lines().toList()) {
                String[] fields = line.split("\\|");
                if (fields.length == 2) {
                    jobs.computeIfAbsent(fields[0], name -> new ArrayList<>()).add(fields[1]);
                }
            }
        }
        return jobs;
    }

    /** Submits a job as the rig's user, by hand: its id. */
    public static String submitAsUser(String... sbatchArguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("runuser", "-u", user(), "--", "sbatch", "--parsable"));
        command.addAll(List.of(sbatchArguments));
        return run(command.toArray(String[]::new)).strip();
    }

    /** What squeue says of a job now: its state, or empty once it has left the queue. */
    public static String queueState(String jobId) throws IOException {
        return run("squeue", "--noheader", "--states=all", "--jobs=" + jobId, "--format=%T")
                .strip();
    }

    /** Whether a path exists on the cluster, as the rig's user sees it. */
    public static boolean existsAsUser(String path) throws IOException, InterruptedException {
        return new ProcessBuilder("runuser", "-u", user(), "--", "test", "-e", path)
                        .start()
                        .waitFor()
                == 0;
    }

    private static boolean isRunning(String commandLine) throws IOException, InterruptedException {
        return new ProcessBuilder("pgrep", "-f", "^" + commandLine).start().waitFor() == 0;
    }

    private static boolean answers() {
        java.util.Properties rig = SlurmRigAvailable.properties();
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(
                    new java.net.InetSocketAddress(
                            rig.getProperty("gateway.clusters.rig.host"),
                            Integer.parseInt(rig.getProperty("gateway.clusters.rig.port"))),
                    1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    /** Runs a command on this machine; its output, or an exception with it when it fails. */
    public static String run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IOException(interrupted);
        }
        return output;
    }
}
