package io.slurmgateway.execution;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** A thread that runs a tick every interval, or at once when woken; a wake-up during a tick causes one more tick. */
final class TickLoop {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Thread thread;
    private final Duration interval;
    private final Runnable tick;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private boolean wakeUpRequested;
    private volatile boolean running = true;

    TickLoop(String name, Duration interval, Runnable tick) {
        this.interval = interval;
        this.tick = tick;
        this.thread = new Thread(this::loop, name);
    }

    void start() {
        thread.start();
    }

    void wake() {
        lock.lock();
        try {
            wakeUpRequested = true;
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void stop() {
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
            tick.run();
            awaitWork();
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
