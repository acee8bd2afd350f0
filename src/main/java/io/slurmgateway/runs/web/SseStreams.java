package io.slurmgateway.runs.web;

import io.slurmgateway.security.Caller;
import io.slurmgateway.security.LimitExceededException;
import io.slurmgateway.security.SecurityProperties;
import io.slurmgateway.system.TooManyStreamsException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-sent event streams that follow a run from the database, never from the run's host: every stream polls its
 * source on a small shared thread pool, so an open stream holds no thread while it waits. Quiet streams send a
 * heartbeat comment, which also reveals clients that have gone; their polling stops at once.
 */
@Component
class SseStreams implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SseStreams.class);

    /** What a stream follows. */
    interface Source {

        /**
         * Sends what is new since the last call.
         *
         * @return true when nothing more will come and the stream should end
         */
        boolean sendNew(SseEmitter emitter) throws IOException;
    }

    private final ScheduledExecutorService pollers;
    private final ApiProperties api;
    private static final long RETRY_STREAMS_AFTER_SECONDS = 5;

    private final SecurityProperties security;
    private final Set<SseEmitter> open = ConcurrentHashMap.newKeySet();

    /** Open streams by caller; guarded by {@code open}'s monitor. */
    private final Map<String, Integer> byCaller = new HashMap<>();

    SseStreams(ApiProperties api, SecurityProperties security) {
        this.api = api;
        this.security = security;
        this.pollers = Executors.newScheduledThreadPool(api.streamThreads(), runnable -> {
            Thread thread = new Thread(runnable, "sse-poller");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Opens a stream for {@code caller}.
     *
     * @throws TooManyStreamsException when {@code gateway.api.max-streams} are open already
     * @throws LimitExceededException when the caller has {@code gateway.security.limits.max-streams} open already
     */
    SseEmitter open(Caller caller, Source source) {
        SseEmitter emitter = new SseEmitter(api.streamTimeout().toMillis());
        synchronized (open) {
            if (open.size() >= api.maxStreams()) {
                throw new TooManyStreamsException(api.maxStreams());
            }
            int callersStreams = byCaller.getOrDefault(caller.name(), 0);
            if (security.authenticationConfigured()
                    && callersStreams >= security.limits().maxStreams()) {
                throw new LimitExceededException(
                        "'" + caller.name() + "' has " + callersStreams + " event streams open"
                                + " (gateway.security.limits.max-streams); close one, or retry later",
                        RETRY_STREAMS_AFTER_SECONDS);
            }
            open.add(emitter);
            byCaller.merge(caller.name(), 1, Integer::sum);
        }
        AtomicReference<ScheduledFuture<?>> polling = new AtomicReference<>();
        Runnable stop = () -> {
            synchronized (open) {
                if (open.remove(emitter)) {
                    byCaller.computeIfPresent(caller.name(), (name, count) -> count == 1 ? null : count - 1);
                }
            }
            ScheduledFuture<?> task = polling.get();
            if (task != null) {
                task.cancel(false);
            }
        };
        emitter.onCompletion(stop);
        emitter.onTimeout(stop);
        emitter.onError(failure -> stop.run());
        long heartbeatEvery = Math.max(
                1, api.streamHeartbeat().toMillis() / api.streamPollInterval().toMillis());
        long[] pollsSinceHeartbeat = {0};
        polling.set(pollers.scheduleWithFixedDelay(
                () -> {
                    if (++pollsSinceHeartbeat[0] >= heartbeatEvery) {
                        pollsSinceHeartbeat[0] = 0;
                        poll(emitter, stop, () -> {
                            emitter.send(SseEmitter.event().comment("keep-alive"));
                            return false;
                        });
                    }
                    poll(emitter, stop, () -> source.sendNew(emitter));
                },
                0,
                api.streamPollInterval().toMillis(),
                TimeUnit.MILLISECONDS));
        return emitter;
    }

    /** One step that may send; ends the stream when it is done or the client has gone. */
    private interface Step {
        boolean run() throws IOException;
    }

    private static void poll(SseEmitter emitter, Runnable stop, Step step) {
        try {
            if (step.run()) {
                stop.run();
                emitter.complete();
            }
        } catch (IOException | IllegalStateException clientGone) {
            stop.run(); // the client disconnected, or sending failed: end the response too, quietly
            try {
                emitter.complete();
            } catch (RuntimeException alreadyEnded) {
                // nothing left to end
            }
        } catch (RuntimeException failed) {
            log.warn("an event stream failed and was closed", failed);
            stop.run();
            emitter.completeWithError(failed);
        }
    }

    /** Ends every open stream (clients reconnect to another instance with Last-Event-ID), then stops polling. */
    @Override
    public void destroy() {
        open.forEach(SseEmitter::complete);
        synchronized (open) {
            open.clear();
            byCaller.clear();
        }
        pollers.shutdownNow();
    }
}
