package io.slurmgateway.execution.cluster;

import io.slurmgateway.execution.LogStore;
import io.slurmgateway.runs.RunWorkQueue;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import org.slf4j.MDC;

/** Records the outcomes of a cluster worker's ended jobs, and lets go of the jobs whose output is all copied. */
final class JobOutcomes {

    private final LogStore store;
    private final RunWorkQueue queue;

    JobOutcomes(LogStore store, RunWorkQueue queue) {
        this.store = store;
        this.queue = queue;
    }

    /**
     * Records the outcome of each ended job once all its Pipes messages are relayed (they can change it), whether or
     * not its output is all copied yet: a run whose output is still being copied is marked draining first, and its
     * logs are complete once the copying is done.
     */
    synchronized void finishSettled(Map<UUID, ActiveJob> active) { // polling thread each tick, and output thread
        for (Iterator<ActiveJob> jobs = active.values().iterator(); jobs.hasNext(); ) {
            ActiveJob job = jobs.next();
            try (MDC.MDCCloseable ignored =
                    MDC.putCloseable("runId", job.runId().toString())) {
                ActiveJob.Ending ending = job.ending();
                if (!job.isOutcomeRecorded() && ending != null && job.isMessagesFinal()) {
                    boolean outputFinal = job.isOutputFinal(); // read once: the output thread may set it meanwhile
                    if (!outputFinal) {
                        store.draining(job.runId());
                    }
                    queue.finishSlurm(
                            job.runId(),
                            ending.outcome(),
                            ending.exitCode(),
                            ending.slurmState(),
                            ending.slurmReason(),
                            ending.description(),
                            ending.usage());
                    job.markOutcomeRecorded();
                    if (outputFinal) {
                        jobs.remove();
                        continue;
                    }
                }
                if (job.isOutcomeRecorded() && job.isOutputFinal()) {
                    store.drained(job.runId());
                    jobs.remove();
                }
            }
        }
    }
}
