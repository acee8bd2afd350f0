package io.slurmgateway.slurm;

import io.slurmgateway.host.CommandResult;
import io.slurmgateway.host.CommandRunner;
import io.slurmgateway.host.FileToWrite;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Slurm's commands on one cluster, each run with a fixed argument list through the cluster's {@link CommandRunner}
 * and counted in {@code gateway.slurm.commands} (tags: cluster, command, purpose) so that what polling costs the cluster is
 * visible.
 */
public class SlurmClient {

    /** sbatch failures that say nothing about the job itself: the controller or the link to it was unavailable. */
    private static final Pattern TRANSIENT = Pattern.compile(
            "socket timed out|timed out|connection reset|connection refused|unable to contact slurm controller"
                    + "|zero bytes were transmitted|resource temporarily unavailable|try again|slurm_persist_conn"
                    + "|communication connection failure|temporarily",
            Pattern.CASE_INSENSITIVE);

    private static final String QUEUE_FORMAT = "%i|%T|%r";

    /** {@code timeout --signal=KILL} exits 128 + 9 when it had to kill the command. */
    private static final int TIMEOUT_KILLED = 137;

    /** How {@code stage-and-submit.sh} says that staging failed and nothing was submitted. */
    private static final int STAGING_FAILED = 96;

    /** The script that stages a run's files from standard input and submits it. */
    static final String STAGE_AND_SUBMIT = StagedFiles.script("stage-and-submit.sh");

    /** What sacct reports per job and step; Reason is last, since free text could hold the field separator. */
    static final String ACCOUNTING_FORMAT =
            "JobID,State,ExitCode,Elapsed,TotalCPU,MaxRSS,AllocCPUS,AllocNodes,ReqMem,AllocTRES,Reason";

    /** What sstat reports per running step: the peak and (in TRESUsageInTot) the current memory and CPU time. */
    static final String LIVE_USAGE_FORMAT = "JobID,MaxRSS,TRESUsageInTot";

    private final String cluster;
    private final RecordedCommands commands;
    private final SweepCommands sweep;

    /** A client of a cluster with one account. */
    public SlurmClient(String cluster, CommandRunner host, SlurmMetrics metrics) {
        this(cluster, "default", host, metrics);
    }

    /**
     * @param identity the account {@code host} logs in as, named in the audit trail (not in metrics, whose tags stay
     *     few)
     */
    public SlurmClient(String cluster, String identity, CommandRunner host, SlurmMetrics metrics) {
        this.cluster = cluster;
        this.commands = new RecordedCommands(cluster, identity, host, metrics);
        this.sweep = new SweepCommands(cluster, commands);
    }

    /**
     * Writes a run's directory and submits its {@code batch.sh} with {@code sbatch --parsable}, in one command whose
     * standard input carries the files ({@code stage-and-submit.sh}); sbatch is killed on the cluster if it takes
     * longer than {@code limit}. Counted and audited as the command {@code sbatch}.
     */
    public SubmitResult stageAndSubmit(String directory, List<FileToWrite> files, Duration limit) {
        CommandResult result;
        try {
            // killed on the cluster when it overruns, so that a retry never races a late answer of this sbatch
            result = commands.run(
                    "submit",
                    "sbatch",
                    List.of("bash", "-c", STAGE_AND_SUBMIT, "gateway-submit", directory, killSeconds(limit)),
                    StagedFiles.frame(files));
        } catch (IOException failed) {
            return new SubmitResult.Uncertain("staging and sbatch over SSH failed: " + failed.getMessage());
        }
        if (result.exitStatus() == TIMEOUT_KILLED) {
            return new SubmitResult.Uncertain(
                    "sbatch did not answer within " + limit.toSeconds() + " s and was killed");
        }
        if (result.exitStatus() == STAGING_FAILED) {
            return new SubmitResult.Uncertain(result.stderrText().strip() + " (nothing was submitted)");
        }
        if (result.succeeded()) {
            return SlurmOutputParser.jobIdOf(result.stdoutText())
                    .<SubmitResult>map(SubmitResult.Submitted::new)
                    .orElseGet(() -> new SubmitResult.Uncertain(
                            "sbatch printed no job id: " + result.stdoutText().strip()));
        }
        String message = result.stderrText().isEmpty() ? "sbatch exited " + result.exitStatus() : result.stderrText();
        return TRANSIENT.matcher(message).find()
                ? new SubmitResult.Uncertain(message)
                : new SubmitResult.Refused(message);
    }

    /** The id of the job with this name, if Slurm knows one: squeue first, then accounting for older jobs. */
    public Optional<String> findJobByName(String jobName) throws IOException {
        CommandResult queued = run(
                "lookup", List.of("squeue", "--noheader", "--states=all", "--me", "--name=" + jobName, "--format=%i"));
        Optional<String> inQueue = lastLine(queued, "squeue");
        if (inQueue.isPresent()) {
            return inQueue;
        }
        CommandResult accounted = run(
                "lookup",
                List.of(
                        "sacct",
                        "--noheader",
                        "--parsable2",
                        "--allocations",
                        "--starttime=now-7days",
                        "--name=" + jobName,
                        "--format=JobID"));
        return lastLine(accounted, "sacct");
    }

    /** Cancels every job of this name (the gateway's own jobs carry the run id in theirs); best effort. */
    public void cancelByName(String jobName) throws IOException {
        CommandResult result = run("cancel", List.of("scancel", "--me", "--name=" + jobName));
        if (!result.succeeded()) {
            throw new IOException("scancel failed on cluster '" + cluster + "': " + result.stderrText());
        }
    }

    /** The jobs squeue knows among {@code jobIds}, finished ones included while slurmctld keeps them. */
    public Map<String, QueueEntry> queue(Collection<String> jobIds) throws IOException {
        // a remote command line is (encoded) one argument of a shell, which Linux caps at 128 KiB: past that, ask for
        // all of the user's jobs (a constant-size command) and keep ours
        String selection = JobIdLists.fitInOne(jobIds) ? "--jobs=" + String.join(",", jobIds) : "--me";
        CommandResult result =
                run("poll", List.of("squeue", "--noheader", "--states=all", selection, "--format=" + QUEUE_FORMAT));
        if (!result.succeeded()) {
            if (result.stderrText().contains("Invalid job id")) {
                return Map.of(); // none of them is known any more
            }
            throw new IOException("squeue failed on cluster '" + cluster + "': " + result.stderrText());
        }
        Map<String, QueueEntry> entries = SlurmOutputParser.queue(result.stdoutText());
        if (selection.equals("--me")) {
            entries.keySet().retainAll(Set.copyOf(jobIds));
        }
        return entries;
    }

    /**
     * What accounting holds about {@code jobIds}, with their batch steps: one sacct, or one per batch of ids that fits
     * in a command line (more than about 7,000 jobs ending at once).
     *
     * @throws AccountingDisabledException when the cluster keeps no accounting at all
     */
    public Map<String, AccountingRecord> accounting(Collection<String> jobIds) throws IOException {
        Map<String, AccountingRecord> records = new LinkedHashMap<>();
        for (List<String> batch : JobIdLists.batches(jobIds)) {
            CommandResult result = run(
                    "poll",
                    List.of(
                            "sacct",
                            "--noheader",
                            "--parsable2",
                            "--jobs=" + String.join(",", batch),
                            "--format=" + ACCOUNTING_FORMAT));
            if (!result.succeeded()) {
                if (result.stderrText().contains("accounting storage is disabled")) {
                    throw new AccountingDisabledException(
                            cluster, result.stderrText().strip());
                }
                throw new IOException("sacct failed on cluster '" + cluster + "': " + result.stderrText());
            }
            records.putAll(SlurmOutputParser.accounting(result.stdoutText()));
        }
        return records;
    }

    /**
     * What the running steps of {@code jobIds} use now, by job id, from one sstat (or one per batch of ids that fits in
     * a command line), each killed on the cluster if it runs longer than {@code limit}; a job with no running step
     * (pending, or just ended) is absent.
     */
    public Map<String, LiveSample> liveUsage(Collection<String> jobIds, Instant sampledAt, Duration limit)
            throws IOException {
        Map<String, LiveSample> samples = new LinkedHashMap<>();
        for (List<String> batch : JobIdLists.batches(jobIds)) {
            CommandResult result = runKilledPast(
                    "usage",
                    limit,
                    List.of(
                            "sstat",
                            "--noheader",
                            "--parsable2",
                            "--allsteps",
                            "--jobs=" + String.join(",", batch),
                            "--format=" + LIVE_USAGE_FORMAT));
            if (result.exitStatus() == TIMEOUT_KILLED) {
                throw new IOException("sstat on cluster '" + cluster + "' did not answer within " + killSeconds(limit)
                        + " s and was killed");
            }
            // sstat exits 0 when some jobs have no running step and names each on stderr; only a total failure counts
            if (!result.succeeded()) {
                throw new IOException("sstat failed on cluster '" + cluster + "': " + result.stderrText());
            }
            samples.putAll(SlurmOutputParser.liveUsage(result.stdoutText(), sampledAt));
        }
        samples.keySet().retainAll(Set.copyOf(jobIds));
        return samples;
    }

    /** Asks Slurm to cancel jobs; the outcome shows in their state later (scancel's exit status says little). */
    public void cancel(Collection<String> jobIds) throws IOException {
        for (List<String> batch : JobIdLists.batches(jobIds)) {
            List<String> command = new ArrayList<>(List.of("scancel"));
            command.addAll(batch);
            CommandResult result = run("cancel", command);
            if (!result.succeeded()) {
                throw new IOException("scancel failed on cluster '" + cluster + "': " + result.stderrText());
            }
        }
    }

    /** The cluster's partitions as sinfo lists them, the default one first. */
    public List<String> partitions() throws IOException {
        CommandResult result = run("info", List.of("sinfo", "--noheader", "--format=%P"));
        if (!result.succeeded()) {
            throw new IOException("sinfo failed on cluster '" + cluster + "': " + result.stderrText());
        }
        List<String> partitions = new ArrayList<>();
        for (String line : result.stdoutText().strip().split("\n")) {
            String name = line.strip();
            if (name.endsWith("*")) {
                partitions.add(0, name.substring(0, name.length() - 1));
            } else if (!name.isEmpty() && !partitions.contains(name)) {
                partitions.add(name);
            }
        }
        return partitions;
    }

    /**
     * Reads from several files: in one round trip, or in as few as keep each command line under the limit on one
     * argument (about 400 files per command).
     */
    public List<LogRead.Result> read(List<LogRead> reads) throws IOException {
        List<LogRead.Result> results = new ArrayList<>(reads.size());
        for (List<LogRead> batch : RemoteFileReads.batches(reads)) {
            CommandResult result = run("logs", RemoteFileReads.command(batch));
            if (!result.succeeded()) {
                throw new IOException("reading job output failed on cluster '" + cluster + "': " + result.stderrText());
            }
            results.addAll(RemoteFileReads.results(batch, result.stdout()));
        }
        return results;
    }

    /** The commands of the account's sweep: its gateway jobs, and removing old run directories. */
    public SweepCommands sweep() {
        return sweep;
    }

    /** The last line of a lookup; a failed lookup is an error, never "no such job", or a job could be submitted twice. */
    private Optional<String> lastLine(CommandResult result, String program) throws IOException {
        if (!result.succeeded()) {
            throw new IOException(
                    program + " failed on cluster '" + cluster + "' while looking a job up: " + result.stderrText());
        }
        List<String> lines =
                result.stdoutText().strip().lines().map(String::strip).toList();
        return lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(lines.size() - 1));
    }

    /**
     * Runs and counts a command under {@code timeout --signal=KILL}, so that it ends on the cluster once it has run for
     * {@code limit} (then it exits {@link #TIMEOUT_KILLED}) instead of living on after the caller gave up on it.
     */
    private CommandResult runKilledPast(String purpose, Duration limit, List<String> command) throws IOException {
        List<String> bounded = new ArrayList<>(List.of("timeout", "--signal=KILL", killSeconds(limit)));
        bounded.addAll(command);
        return commands.run(purpose, command.get(0), bounded);
    }

    /** The whole seconds {@code timeout} is given: at least one, since 0 would mean no limit at all. */
    private static String killSeconds(Duration limit) {
        return String.valueOf(Math.max(1, limit.toSeconds()));
    }

    /** Runs and counts a command; {@code purpose} is one of submit, poll, lookup, cancel, logs, info, usage, sweep, cleanup. */
    private CommandResult run(String purpose, List<String> command) throws IOException {
        return commands.run(purpose, command.get(0), command);
    }
}
