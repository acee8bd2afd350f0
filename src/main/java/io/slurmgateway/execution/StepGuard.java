package io.slurmgateway.execution;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.ConcurrencyFailureException;

/**
 * Runs the steps of a scheduler's tick so that one failing step (a dead cluster, a lost database race) neither ends
 * the tick nor stops the other steps: each failure is logged the same way (the MDC carries the cluster or run) and
 * counted in {@code gateway.scheduler.errors}, and the step runs again next tick.
 */
public final class StepGuard {

    private static final Logger log = LoggerFactory.getLogger(StepGuard.class);

    /** Work that may fail. */
    public interface Step {
        void run() throws IOException, InterruptedException;
    }

    private final String scheduler;
    private final ExecutionMetrics metrics;

    /** @param scheduler {@code direct} or {@code slurm:<cluster>}, as in the metric's tag */
    public StepGuard(String scheduler, ExecutionMetrics metrics) {
        this.scheduler = scheduler;
        this.metrics = metrics;
    }

    /**
     * Runs a step; a failure is logged and counted.
     *
     * @param step one of a fixed set of names (stage, start, watch, recover, submit, poll, cancel, usage, lease, adopt, orphans, cleanup), the tag
     * @return whether the step succeeded
     */
    public boolean run(String step, Step work) {
        try {
            work.run();
            return true;
        } catch (ConcurrencyFailureException busy) {
            log.warn("{}: {} lost a database race and runs again next tick: {}", scheduler, step, busy.getMessage());
        } catch (IOException failed) {
            log.warn("{}: {} failed and runs again next tick: {}", scheduler, step, failed.getMessage());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            log.info("{}: {} was interrupted; the scheduler is stopping", scheduler, step);
        } catch (RuntimeException failed) {
            log.warn("{}: {} failed and runs again next tick", scheduler, step, failed);
        }
        metrics.stepFailed(scheduler, step);
        return false;
    }
}
