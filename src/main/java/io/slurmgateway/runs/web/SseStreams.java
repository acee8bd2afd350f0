package io.slurmgateway.runs.web;

import io.slurmgateway.system.ApiProperties;
import java.io.IOException;
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
 * source on a small shared thread pool, so an open stream holds no thread while it waits.
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

    SseStreams(ApiProperties api) {
        this.api = api;
        this.pollers = Executors.newScheduledThreadPool(api.streamThreads(), runnable -> {
            Thread thread = new Thread(runnable, "sse-poller");
            thread.setDaemon(true);
            return thread;
        });
    }

    SseEmitter open(Source source) {
        SseEmitter emitter = new SseEmitter(api.streamTimeout().toMillis());
        AtomicReference<ScheduledFuture<?>> polling = new AtomicReference<>();
        Runnable stop = () -> {
            ScheduledFuture<?> task = polling.get();
            if (task != null) {
                task.cancel(false);
            }
        };
        emitter.onCompletion(stop);
        emitter.onTimeout(stop);
        emitter.onError(failure -> stop.run());
        polling.set(pollers.scheduleWithFixedDelay(
                () -> poll(source, emitter, stop), 0, api.streamPollInterval().toMillis(), TimeUnit.MILLISECONDS));
        return emitter;
    }

    private static void poll(Source source, SseEmitter emitter, Runnable stop) {
        try {
            if (source.sendNew(emitter)) {
                stop.run();
                emitter.complete();
            }
        } catch (IOException | IllegalStateException clientGone) {
            stop.run(); // the client disconnected or the response already ended
        } catch (RuntimeException failed) {
            log.warn("an event stream failed and was closed", failed);
            stop.run();
            emitter.completeWithError(failed);
        }
    }

    @Override
    public void destroy() {
        pollers.shutdownNow();
    }
}
