package io.slurmgateway.clusters;

import io.slurmgateway.host.CommandRunner;
import io.slurmgateway.slurm.SlurmClient;

/**
 * One account on a cluster, as runs use it: the identity's name ({@link ClusterIdentity#DEFAULT} for the cluster's own
 * {@code user}), the Unix user, the directory of its run directories, and its own connection pool and Slurm client. A
 * run's staging, submission, polling, log reads and cancel all go through the account of its identity.
 *
 * @param workDir as configured; relative to the user's home when not absolute
 */
public record ClusterAccount(String identity, String user, String workDir, CommandRunner runner, SlurmClient slurm) {}
