package io.slurmgateway.execution;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A thread that runs a tick every interval, or at once when woken; a wake-up during a tick causes one more tick. The
 * interval is a fixed delay, so a slow tick never overlaps the next.
 *
 * <p>Whatever one tick throws ends that tick only: it is counted in {@code gateway.scheduler.errors} (step
 * {@code tick}), logged with the loop's name in the MDC, and the loop goes on at the next interval, in the manner of
 * db-scheduler's {@code RunUntilShutdown}. Steps inside a tick guard themselves more finely with {@link StepGuard}.
 */
public final class TickLoop {

    private static final Logger log = LoggerFactory.getLogger(TickLoop.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Thread thread;
    private final String scheduler;
    private final Duration interval;
    private final Runnable tick;
    private final ExecutionMetrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private boolean wakeUpRequested;
    private volatile boolean running = true;

    /**
     * @param name the thread's name, also put in the MDC as {@code loop}
     * @param scheduler the scheduler the loop belongs to ({@code direct} or {@code slurm:<cluster>}), the metric's tag
     */
    public TickLoop(String name, String scheduler, Duration interval, Runnable tick, ExecutionMetrics metrics) {
        this.scheduler = scheduler;
        this.interval = interval;
        this.tick = tick;
        this.metrics = metrics;
        this.thread = new Thread(this::loop, name);
    }

    public void start() {
        thread.start();
    }

    public void wake() {
        lock.lock();
        try {
            wakeUpRequested = true;
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public void stop() {
        running = false;
        wake();
        try {
            thread.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        while (running) {
            runTick();
            awaitWork();
        }
    }

    /** Runs one tick; nothing it throws leaves this method, so nothing ends the loop but {@link #stop}. */
    void runTick() {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("loop", thread.getName())) {
            tick.run();
        } catch (Throwable failed) { // deliberately everything: an Error in one tick must not end the thread
            metrics.stepFailed(scheduler, "tick");
            log.error("{}: a tick failed; the loop goes on at the next one", thread.getName(), failed);
        }
    }

    private void awaitWork() {
        lock.lock();
        try {
            if (!wakeUpRequested && running) {
                wakeUp.await(interval.toMillis(), TimeUnit.MILLISECONDS);
            }
            wakeUpRequested = false;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }
}
