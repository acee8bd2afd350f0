package io.slurmgateway.execution.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.slurmgateway.clusters.ClusterProperties;
import io.slurmgateway.clusters.ClusterRegistry;
import io.slurmgateway.clusters.ClustersProperties;
import io.slurmgateway.host.CommandResult;
import io.slurmgateway.host.CommandRunner;
import io.slurmgateway.runs.RunState;
import io.slurmgateway.slurm.SlurmClient;
import io.slurmgateway.slurm.SlurmMetrics;
import io.slurmgateway.support.ScriptedHost;
import io.slurmgateway.support.SlurmRigAvailable;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * P4: what one poll tick costs with 10, 1,000 and 10,000 active jobs: remote commands by kind, and the tick's CPU time
 * on the gateway (the polling thread's own CPU, from ThreadMXBean) and wall time. 10 and 1,000 are real held jobs on
 * the rig over SSH; 10,000 (more than the rig's MaxJobCount allows) replays squeue and sacct output in the rig's
 * format. Not a test: {@code bench/p4-poll-tick.sh} runs it.
 */
public final class PollTickBenchmark {

    private static final int WARM_UP_TICKS = 30;
    private static final int MEASURED_TICKS = 30;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        System.out.printf(
                "%-34s %8s %8s %8s %14s %14s%n", "case", "squeue", "sacct", "other", "tick CPU ms", "tick wall ms");
        ClusterProperties rig = rigCluster();
        try (ClusterRegistry hosts = new ClusterRegistry(
                new ClustersProperties(Map.of("rig", rig), Duration.ofSeconds(30)),
                new SlurmMetrics(new SimpleMeterRegistry()))) {
            for (int count : new int[] {10, 1000}) {
                onTheRig(hosts, count);
            }
        }
        replayed(10_000, false);
        replayed(10_000, true);
    }

    /** Real held jobs on the rig, polled over SSH; they stay PENDING, so every tick is a steady-state tick. */
    private static void onTheRig(ClusterRegistry hosts, int count) throws IOException {
        CommandRunner host = hosts.find("rig").orElseThrow().runner();
        CommandResult submitted = host.execute(List.of(
                "bash",
                "-c",
                "for i in $(seq \"$1\"); do sbatch --hold --parsable --job-name=p4-bench --output=/dev/null --wrap=true;"
                        + " done",
                "p4",
                String.valueOf(count)));
        List<String> jobIds = submitted.stdoutText().strip().lines().toList();
        try {
            List<ActiveJob> jobs = activeJobs(jobIds, "PENDING", "JobHeldUser");
            measure(
                    "rig, " + count + " held jobs",
                    new SimpleMeterRegistry(),
                    meters -> new SlurmClient("rig", host, new SlurmMetrics(meters)),
                    jobs);
        } finally {
            for (int from = 0; from < jobIds.size(); from += 500) {
                List<String> cancel = new ArrayList<>(List.of("scancel"));
                cancel.addAll(jobIds.subList(from, Math.min(jobIds.size(), from + 500)));
                host.execute(cancel);
            }
        }
    }

    /** Recorded-format output for jobs Slurm cannot hold on the rig; {@code ended}: all of them just finished. */
    private static void replayed(int count, boolean ended) throws IOException {
        List<String> jobIds = new ArrayList<>();
        StringBuilder squeue = new StringBuilder();
        StringBuilder sacct = new StringBuilder();
        for (int i = 0; i < count; i++) {
            String id = String.valueOf(100_000 + i);
            jobIds.add(id);
            squeue.append(id).append(ended ? "|COMPLETED|None\n" : "|RUNNING|None\n");
            sacct.append(id)
                    .append("|COMPLETED|0:0|00:00:04|00:00.256||2|1|400M|billing=2,cpu=2,mem=400M,node=1|None\n")
                    .append(id)
                    .append(".batch|COMPLETED|0:0|00:00:04|00:00.256|215832K|2|1||cpu=2,mem=400M,node=1|\n");
        }
        byte[] squeueBytes = squeue.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] sacctBytes = sacct.toString().getBytes(StandardCharsets.US_ASCII);
        CommandRunner replay = new ScriptedHost(
                argv -> new CommandResult(0, argv.get(0).equals("squeue") ? squeueBytes : sacctBytes, new byte[0]));
        String label = "replayed, " + count + (ended ? " jobs all ending" : " running jobs");
        measure(
                label,
                new SimpleMeterRegistry(),
                meters -> new SlurmClient("rig", replay, new SlurmMetrics(meters)),
                activeJobs(jobIds, "RUNNING", "None"));
    }

    private interface ClientFactory {
        SlurmClient create(MeterRegistry meters);
    }

    private static void measure(String label, SimpleMeterRegistry meters, ClientFactory clients, List<ActiveJob> jobs)
            throws IOException {
        SlurmClient slurm = clients.create(meters);
        SlurmJobTracker tracker =
                new SlurmJobTracker(null, Clock.systemUTC(), Duration.ofMinutes(2), Duration.ofMinutes(10));
        for (int i = 0; i < WARM_UP_TICKS; i++) {
            tracker.poll(slurm, jobs);
        }
        double squeueBefore = count(meters, "squeue");
        double sacctBefore = count(meters, "sacct");
        double allBefore = total(meters);
        long[] cpu = new long[MEASURED_TICKS];
        long[] wall = new long[MEASURED_TICKS];
        for (int i = 0; i < MEASURED_TICKS; i++) {
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            long wallStart = System.nanoTime();
            tracker.poll(slurm, jobs);
            cpu[i] = THREADS.getCurrentThreadCpuTime() - cpuStart;
            wall[i] = System.nanoTime() - wallStart;
        }
        double squeues = (count(meters, "squeue") - squeueBefore) / MEASURED_TICKS;
        double saccts = (count(meters, "sacct") - sacctBefore) / MEASURED_TICKS;
        double others = (total(meters) - allBefore) / MEASURED_TICKS - squeues - saccts;
        System.out.printf(
                "%-34s %8.1f %8.1f %8.1f %14.2f %14.2f%n", label, squeues, saccts, others, median(cpu), median(wall));
    }

    private static List<ActiveJob> activeJobs(List<String> jobIds, String slurmState, String reason) {
        List<ActiveJob> jobs = new ArrayList<>();
        RunState state = slurmState.equals("PENDING") ? RunState.QUEUED : RunState.RUNNING;
        for (String jobId : jobIds) {
            ActiveJob job = new ActiveJob(UUID.randomUUID(), jobId, "/bench/" + jobId, state, false);
            job.seen(state, slurmState, reason);
            jobs.add(job);
        }
        return jobs;
    }

    private static double count(MeterRegistry meters, String command) {
        return meters.find("gateway.slurm.commands").tag("command", command).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private static double total(MeterRegistry meters) {
        return meters.find("gateway.slurm.commands").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }

    private static ClusterProperties rigCluster() {
        Map<String, String> settings = new HashMap<>();
        SlurmRigAvailable.properties()
                .forEach((key, value) ->
                        settings.put(((String) key).replace("gateway.clusters.rig.", "c."), String.valueOf(value)));
        return new Binder(new MapConfigurationPropertySource(settings))
                .bind("c", ClusterProperties.class)
                .get();
    }
}
