package io.slurmgateway.execution.cluster;

import io.slurmgateway.execution.ExecutionMetrics;
import io.slurmgateway.execution.LogStore;
import io.slurmgateway.runs.RunCustody;
import io.slurmgateway.runs.RunWorkQueue;
import io.slurmgateway.slurm.SlurmMetrics;

/** The instance's services every cluster worker uses, in one value. */
record WorkerServices(
        RemoteLogTailer tailer,
        LogStore store,
        RunWorkQueue queue,
        RunCustody custody,
        ExecutionMetrics metrics,
        SlurmMetrics slurmMetrics,
        io.slurmgateway.blobs.Blobs blobs) {}
