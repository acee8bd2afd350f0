package io.slurmgateway.execution;

import io.slurmgateway.launch.JobScript;
import io.slurmgateway.launch.LauncherRegistry;
import io.slurmgateway.launch.RunSpec;
import io.slurmgateway.pipes.PipesBootstrap;
import io.slurmgateway.runs.Run;
import io.slurmgateway.runs.RunService;
import org.springframework.stereotype.Component;

/**
 * The job script of a run, the same for local processes and Slurm jobs: what its launcher makes of the spec, plus the
 * Dagster Pipes bootstrap variables, which name a file in the run's directory.
 */
@Component
class JobScripts {

    private final RunService runService;
    private final LauncherRegistry launchers;
    private final PipesBootstrap pipes;

    JobScripts(RunService runService, LauncherRegistry launchers, PipesBootstrap pipes) {
        this.runService = runService;
        this.launchers = launchers;
        this.pipes = pipes;
    }

    /** Pure apart from reading the stored spec, so it is made again whenever it is needed rather than stored. */
    JobScript of(Run run, String runDirectory) {
        RunSpec spec = runService.specOf(run);
        return launchers
                .get(run.getLauncher())
                .jobScript(run.getId(), spec)
                .withEnvironment(pipes.environment(run.getId(), spec, runDirectory));
    }
}
