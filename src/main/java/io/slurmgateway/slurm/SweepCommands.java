package io.slurmgateway.slurm;

import io.slurmgateway.host.CommandResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The commands a cluster account's sweep runs, counted like every other ({@link SlurmClient#sweep()}). */
public final class SweepCommands {

    private final String cluster;
    private final RecordedCommands commands;

    SweepCommands(String cluster, RecordedCommands commands) {
        this.cluster = cluster;
        this.commands = commands;
    }

    /**
     * The jobs of this account that squeue shows pending, running or suspended and whose names start with
     * {@code prefix}: job id to name. Ended and completing jobs are left out, since nothing needs cancelling there.
     */
    public Map<String, String> activeJobsNamed(String prefix) throws IOException {
        CommandResult result = commands.run(
                "sweep",
                "squeue",
                List.of("squeue", "--noheader", "--me", "--states=PENDING,RUNNING,SUSPENDED", "--format=%i|%j"));
        if (!result.succeeded()) {
            throw new IOException("squeue failed on cluster '" + cluster + "': " + result.stderrText());
        }
        Map<String, String> jobs = new LinkedHashMap<>();
        for (String line : result.stdoutText().lines().map(String::strip).toList()) {
            int bar = line.indexOf('|');
            if (bar > 0 && line.startsWith(prefix, bar + 1)) {
                jobs.put(line.substring(0, bar), line.substring(bar + 1));
            }
        }
        return jobs;
    }

    /** Removes directories with all they hold, in as few commands as fit; one that is gone already is no error. */
    public void removeDirectories(Collection<String> directories) throws IOException {
        for (List<String> batch : JobIdLists.batches(directories)) {
            List<String> command = new ArrayList<>(List.of("rm", "-rf", "--"));
            command.addAll(batch);
            CommandResult result = commands.run("cleanup", "rm", command);
            if (!result.succeeded()) {
                throw new IOException(
                        "removing run directories failed on cluster '" + cluster + "': " + result.stderrText());
            }
        }
    }
}
