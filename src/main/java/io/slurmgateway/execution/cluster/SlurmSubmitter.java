package io.slurmgateway.execution.cluster;

import io.slurmgateway.blobs.HostCache;
import io.slurmgateway.blobs.PackUnusableException;
import io.slurmgateway.clusters.Cluster;
import io.slurmgateway.clusters.ClusterAccount;
import io.slurmgateway.clusters.ClusterProperties;
import io.slurmgateway.execution.JobScripts;
import io.slurmgateway.execution.Provisioned;
import io.slurmgateway.execution.RunProvisioning;
import io.slurmgateway.host.FileToWrite;
import io.slurmgateway.launch.JobScript;
import io.slurmgateway.launch.RunSpec;
import io.slurmgateway.runs.ClaimedRun;
import io.slurmgateway.runs.RunState;
import io.slurmgateway.runs.RunWorkQueue;
import io.slurmgateway.slurm.BatchScript;
import io.slurmgateway.slurm.SlurmClient;
import io.slurmgateway.slurm.SubmitResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stages a run in its directory on the cluster (by SFTP, or on this machine for a local login node) and submits it
 * with sbatch. A submission whose outcome is
 * uncertain is never repeated blindly: the next attempt first looks the job up by its name, which carries the run id.
 */
final class SlurmSubmitter {

    private static final Logger log = LoggerFactory.getLogger(SlurmSubmitter.class);

    /** What became of one attempt. */
    sealed interface Attempt {
        record Active(ActiveJob job) implements Attempt {}

        /** The run has ended (refused, out of attempts, or cancelled meanwhile); nothing more to do. */
        record Over() implements Attempt {}

        record RetryLater(String message) implements Attempt {}
    }

    private final Cluster cluster;
    private final ClusterAccount account;
    private final ClusterProperties settings;
    private final SlurmClient slurm;
    private final RunWorkQueue queue;
    private final JobScripts jobScripts;
    private final HostCache cache;
    private volatile String workDir;

    /**
     * Submits as {@code account}: brings the run's pack and files into its cache, stages in its directory, and runs
     * sbatch as its user.
     */
    SlurmSubmitter(
            Cluster cluster, ClusterAccount account, RunWorkQueue queue, JobScripts jobScripts, HostCache cache) {
        this.cache = cache;
        this.cluster = cluster;
        this.account = account;
        this.settings = cluster.settings();
        this.slurm = account.slurm();
        this.queue = queue;
        this.jobScripts = jobScripts;
    }

    /**
     * One attempt at submitting a run that is STAGING.
     *
     * @param mayExist whether an earlier attempt (or a crashed instance) may have submitted it already
     * @param lastAttempt whether a transient failure now ends the run SUBMIT_FAILED
     */
    Attempt submit(ClaimedRun run, boolean mayExist, boolean lastAttempt) {
        try {
            String directory = directoryOf(run);
            if (mayExist) {
                Optional<Attempt> existing = existingJob(run, directory);
                if (existing.isPresent()) {
                    return existing.get();
                }
            }
            Provisioned provisioned = RunProvisioning.prepare(run.spec(), cache);
            // staged and submitted in one command; sbatch is killed on the cluster before the gateway would abandon it
            SubmitResult result =
                    slurm.stageAndSubmit(directory, files(run, directory, provisioned), settings.killOnClusterAfter());
            if (result instanceof SubmitResult.Submitted submitted) {
                return adopt(run, submitted.jobId(), directory);
            }
            if (result instanceof SubmitResult.Refused refused) {
                queue.markSubmitFailed(run.id(), "Slurm refused the job: " + refused.message());
                return new Attempt.Over();
            }
            return retryOrGiveUp(run, ((SubmitResult.Uncertain) result).message(), lastAttempt);
        } catch (PackUnusableException unusable) {
            queue.markSubmitFailed(run.id(), "the environment pack cannot be used: " + unusable.getMessage());
            return new Attempt.Over();
        } catch (IOException failed) {
            return retryOrGiveUp(run, "staging over SSH failed: " + failed.getMessage(), lastAttempt);
        } catch (IllegalArgumentException invalid) {
            queue.markSubmitFailed(run.id(), "the job could not be written: " + invalid.getMessage());
            return new Attempt.Over();
        }
    }

    /**
     * Ends a submission that has used up its attempts, unless the run turns out to have a job after all: one an earlier
     * attempt recorded, or one Slurm knows by the run's name. Only when neither exists is the run SUBMIT_FAILED; when
     * Slurm cannot be asked, jobs of the run's name are cancelled (never one the run has recorded).
     */
    Attempt giveUp(ClaimedRun run, String message) {
        String jobName = BatchScript.jobName(run.id());
        String aftermath;
        try {
            Optional<Attempt> existing = existingJob(run, directoryOf(run));
            if (existing.isPresent()) {
                return existing.get();
            }
            aftermath = "no job named " + jobName + " exists";
        } catch (IOException unchecked) {
            if (queue.followedJob(run.id()).isPresent()) {
                return new Attempt.RetryLater(unchecked.getMessage()); // it has a job: never fail or cancel it
            }
            aftermath = cancelByName(jobName);
        }
        queue.markSubmitFailed(
                run.id(),
                "submission failed " + settings.submitAttempts() + " times, last: " + message + " (" + aftermath + ")");
        return new Attempt.Over();
    }

    /** The job the run already has: recorded by an earlier attempt, or known to Slurm by the run's name. */
    private Optional<Attempt> existingJob(ClaimedRun run, String directory) throws IOException {
        Optional<String> recorded = queue.followedJob(run.id());
        if (recorded.isPresent()) {
            return Optional.of(new Attempt.Active(ActiveJob.of(run, recorded.get(), directory, RunState.QUEUED)));
        }
        Optional<String> named = slurm.findJobByName(BatchScript.jobName(run.id()));
        if (named.isPresent()) {
            log.info("run {} was already submitted as job {}; adopting it", run.id(), named.get());
            return Optional.of(adopt(run, named.get(), directory));
        }
        return Optional.empty();
    }

    /** Removes what the account's cache holds beyond its budget, sparing what unfinished runs need. */
    void trimCache(java.util.Set<io.slurmgateway.blobs.Digest> inUse) throws IOException {
        cache.trim(inUse);
    }

    /** The run's directory on the cluster. */
    String directoryOf(ClaimedRun run) throws IOException {
        return directoryOf(run.id());
    }

    /** The directory of a run on the cluster: {@code <work-dir>/<run id>}, the work directory made absolute. */
    String directoryOf(java.util.UUID runId) throws IOException {
        if (workDir == null) {
            workDir = account.runner().absolutePath(account.workDir());
        }
        return workDir + "/" + runId;
    }

    private Attempt retryOrGiveUp(ClaimedRun run, String message, boolean lastAttempt) {
        if (!lastAttempt) {
            log.info("run {}: submission failed for a reason that may pass, retrying: {}", run.id(), message);
            return new Attempt.RetryLater(message);
        }
        return giveUp(run, message);
    }

    private String cancelByName(String jobName) {
        try {
            slurm.cancelByName(jobName);
            return "any job named " + jobName + " was cancelled";
        } catch (IOException unreachable) {
            log.warn("could not check for or cancel a job named {}: {}", jobName, unreachable.getMessage());
            return "the cluster could not be checked for a job named " + jobName;
        }
    }

    /** Records {@code jobId} as the run's job; a job the run cannot have (it ended, or has another) is cancelled. */
    private Attempt adopt(ClaimedRun run, String jobId, String directory) throws IOException {
        Optional<String> followed = queue.recordSubmitted(run.id(), cluster.name(), jobId);
        if (followed.isPresent() && followed.get().equals(jobId)) {
            return new Attempt.Active(ActiveJob.of(run, jobId, directory, RunState.QUEUED));
        }
        // the run ended while it was being submitted (it was cancelled), or has another job: this one must not run
        slurm.cancel(List.of(jobId));
        if (followed.isPresent()) {
            queue.note(run.id(), "Slurm job " + jobId + " was cancelled: the run's job is " + followed.get());
            return new Attempt.Active(ActiveJob.of(run, followed.get(), directory, RunState.QUEUED));
        }
        queue.note(
                run.id(),
                "Slurm job " + jobId + " was cancelled: it is not the run's job (the run was cancelled"
                        + " while it was submitted)");
        return new Attempt.Over();
    }

    private List<FileToWrite> files(ClaimedRun run, String directory, Provisioned provisioned) {
        RunSpec spec = run.spec();
        JobScript job = jobScripts.of(run, directory, settings.launchers(), provisioned);
        String batch = BatchScript.render(run.id(), directory, job, withClusterDefaults(spec.resources()));
        List<FileToWrite> files = new ArrayList<>();
        files.add(new FileToWrite(BatchScript.NAME, batch.getBytes(StandardCharsets.UTF_8), true));
        files.add(new FileToWrite(JobScript.SCRIPT_NAME, job.scriptText().getBytes(StandardCharsets.UTF_8), true));
        for (JobScript.StagedFile file : job.files()) {
            files.add(new FileToWrite(file.name(), file.content().getBytes(StandardCharsets.UTF_8), file.executable()));
        }
        return files;
    }

    private RunSpec.Resources withClusterDefaults(RunSpec.Resources requested) {
        return new RunSpec.Resources(
                orDefault(requested.partition(), settings.defaultPartition()),
                requested.nodes(),
                requested.ntasks(),
                requested.cpusPerTask() != null
                        ? requested.cpusPerTask()
                        : settings.defaultCpusPerTask() > 0 ? settings.defaultCpusPerTask() : null,
                orDefault(requested.memory(), settings.defaultMemory()),
                requested.gpus(),
                orDefault(requested.timeLimit(), settings.defaultTimeLimit()),
                requested.qos(),
                requested.account(),
                requested.reservation(),
                requested.constraint(),
                requested.exclusive(),
                requested.signalBeforeTimeout());
    }

    private static String orDefault(String requested, String configured) {
        return requested != null ? requested : configured.isEmpty() ? null : configured;
    }
}
