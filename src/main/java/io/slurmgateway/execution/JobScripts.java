package io.slurmgateway.execution;

import io.slurmgateway.launch.JobScript;
import io.slurmgateway.launch.LaunchDefaults;
import io.slurmgateway.launch.LauncherRegistry;
import io.slurmgateway.pipes.PipesBootstrap;
import io.slurmgateway.runs.ClaimedRun;
import org.springframework.stereotype.Component;

/**
 * The job script of a run, the same for local processes and Slurm jobs: what its launcher makes of the spec, plus the
 * Dagster Pipes bootstrap variables, which name a file in the run's directory.
 */
@Component
public class JobScripts {

    private final LauncherRegistry launchers;
    private final PipesBootstrap pipes;

    JobScripts(LauncherRegistry launchers, PipesBootstrap pipes) {
        this.launchers = launchers;
        this.pipes = pipes;
    }

    /**
     * A pure function of the claimed run and what its host's cache holds for it, so it is made again whenever it is
     * needed rather than stored.
     */
    public JobScript of(ClaimedRun run, String runDirectory, LaunchDefaults defaults, Provisioned provisioned) {
        return provisioned.applyTo(launchers
                .get(run.launcher())
                .jobScript(run.id(), run.spec(), defaults)
                .withEnvironment(pipes.environment(run.id(), run.spec(), runDirectory)));
    }
}
