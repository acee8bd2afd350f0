package io.slurmgateway.launch;

import java.util.List;
import java.util.UUID;

/** Turns a run's spec into a job script. Implementations are pure functions: no I/O, no clock, no randomness. */
public interface Launcher {

    /** The name clients use in {@code "launcher"}. */
    String name();

    /** Problems with {@code launcherOptions}; empty when they are acceptable. */
    List<SpecViolation> validateOptions(RunSpec spec);

    /**
     * The job script for a validated spec.
     *
     * @param defaults what the cluster (or, for a local run, this gateway) configures for the launchers
     */
    JobScript jobScript(UUID runId, RunSpec spec, LaunchDefaults defaults);
}
