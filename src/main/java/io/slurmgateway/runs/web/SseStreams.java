package io.slurmgateway.runs.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.slurmgateway.runs.RunChanges;
import io.slurmgateway.security.Caller;
import io.slurmgateway.security.LimitExceededException;
import io.slurmgateway.security.SecurityProperties;
import io.slurmgateway.system.TooManyStreamsException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Server-sent event streams that follow a run from the database, never from the run's host.
 *
 * <ul>
 *   <li>A stream reads its source when the run changes in this instance ({@link RunChanges}), when what it read last
 *       left more to read, and every {@code gateway.api.stream-recheck-interval} in case another instance changed
 *       it. Reads run on a small shared pool; an open stream holds no thread while it waits.
 *   <li>Writes never block (see {@link SseStream}): each stream buffers at most {@code gateway.api.stream-buffer}
 *       and reads nothing more until its client has taken it; one that has had bytes waiting on its client for
 *       {@code gateway.api.stream-stall-timeout} is dropped, and counted.
 *   <li>Quiet streams send a heartbeat comment, which also reveals clients that have gone.
 * </ul>
 */
@Component
class SseStreams implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SseStreams.class);
    private static final long RETRY_STREAMS_AFTER_SECONDS = 5;

    /** Where a source sends its events. */
    interface Sink {
        /** Queues an event: its id and its data, written as JSON. */
        void event(String id, Object data);
        /** Whether the stream's buffer has room for more; a source stops sending when it has none. */
        boolean hasRoom();
    }

    /** What a read of the source left. */
    enum Progress {
        /** Everything there is now was sent. */
        CAUGHT_UP,
        /** More is there already; read again as soon as the buffer has room. */
        MORE,
        /** Everything there will ever be was sent: the stream ends. */
        ENDED
    }

    /** What a stream follows. */
    interface Source {

        /** Sends what is new since the last call, while the sink has room. */
        Progress sendNew(Sink sink);
    }

    private final ApiProperties api;
    private final SecurityProperties security;
    private final RunChanges changes;
    private final JsonMapper json;
    private final ExecutorService pollers;
    private final ScheduledExecutorService sweeper;
    private final Set<SseStream> open = ConcurrentHashMap.newKeySet();
    private final Counter dropped;
    private final Counter failures;

    /** Streams counted against the limits, in all and by caller; guarded by {@code byCaller}'s monitor. */
    private final Map<String, Integer> byCaller = new HashMap<>();

    private int reserved;

    SseStreams(
            ApiProperties api, SecurityProperties security, RunChanges changes, JsonMapper json, MeterRegistry meters) {
        this.api = api;
        this.security = security;
        this.changes = changes;
        this.json = json;
        this.pollers = Executors.newFixedThreadPool(api.streamThreads(), daemon("sse-poller"));
        this.sweeper = Executors.newSingleThreadScheduledExecutor(daemon("sse-sweeper"));
        this.dropped = Counter.builder("gateway.streams.dropped")
                .description("Event streams dropped because their client stopped reading")
                .register(meters);
        this.failures = Counter.builder("gateway.streams.failures")
                .description("Event streams closed because reading their source failed")
                .register(meters);
        Gauge.builder("gateway.streams.open", open, Set::size)
                .description("Event streams open now")
                .register(meters);
        Gauge.builder("gateway.streams.blocked", open, streams -> streams.stream()
                        .filter(stream -> stream.blockedFor(System.nanoTime()) > 0)
                        .count())
                .description("Open event streams with bytes waiting on a client that has not taken them yet")
                .register(meters);
        long every = api.streamPollInterval().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens a stream of {@code runId} for {@code caller} on this request, which becomes asynchronous; the response is
     * written from then on by the stream alone.
     *
     * @throws TooManyStreamsException when {@code gateway.api.max-streams} are open already
     * @throws LimitExceededException when the caller has {@code gateway.security.limits.max-streams} open already
     */
    void open(Caller caller, UUID runId, HttpServletRequest request, HttpServletResponse response, Source source) {
        reserve(caller.name());
        SseStream stream = null;
        try {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("X-Accel-Buffering", "no"); // proxies that buffer would hold events back
            AsyncContext async = request.startAsync(request, response);
            async.setTimeout(api.streamTimeout().toMillis());
            ServletOutputStream out = response.getOutputStream();
            stream = new SseStream(async, out, json, api.streamBuffer().toBytes(), this::closed, this::afterWrite);
            stream.caller = caller.name();
            stream.source = source;
            stream.changed = true; // the first onWritePossible reads the source
            open.add(stream);
            async.addListener(stream);
            SseStream opened = stream;
            stream.unwatch = changes.watch(runId, () -> {
                opened.changed = true;
                wake(opened);
            })::close;
            // nothing is written before the container calls onWritePossible, which it does once this request thread
            // has left the filters: the response's headers are complete by then
            out.setWriteListener(stream);
        } catch (IOException | RuntimeException failed) {
            if (stream != null) {
                stream.close(); // releases its slot, once
            } else {
                release(caller.name());
            }
            if (failed instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) failed;
        }
    }

    private void reserve(String caller) {
        synchronized (byCaller) {
            if (reserved >= api.maxStreams()) {
                throw new TooManyStreamsException(api.maxStreams());
            }
            int callersStreams = byCaller.getOrDefault(caller, 0);
            if (security.authenticationConfigured()
                    && callersStreams >= security.limits().maxStreams()) {
                throw new LimitExceededException(
                        "'" + caller + "' has " + callersStreams + " event streams open"
                                + " (gateway.security.limits.max-streams); close one, or retry later",
                        RETRY_STREAMS_AFTER_SECONDS);
            }
            reserved++;
            byCaller.merge(caller, 1, Integer::sum);
        }
    }

    private void release(String caller) {
        synchronized (byCaller) {
            reserved--;
            byCaller.computeIfPresent(caller, (name, count) -> count == 1 ? null : count - 1);
        }
    }

    /** Called once per stream, when it closes for whatever reason. */
    private void closed(SseStream stream) {
        if (open.remove(stream)) {
            stream.unwatch.run();
            release(stream.caller);
            if (stream.timedOut) {
                dropped.increment(); // the connector's own write timeout came first
            }
        }
    }

    /** Queues a read of the stream's source, unless one is queued or running already. */
    private void wake(SseStream stream) {
        if (!stream.started || stream.isClosed() || !stream.scheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            pollers.execute(() -> poll(stream));
        } catch (RejectedExecutionException shuttingDown) {
            stream.scheduled.set(false);
        }
    }

    private void poll(SseStream stream) {
        try {
            stream.lastPoll = System.nanoTime();
            if (stream.hasRoom()) {
                stream.changed = false;
                Progress progress = stream.source.sendNew(stream);
                if (progress == Progress.ENDED) {
                    stream.end();
                } else {
                    if (progress == Progress.MORE) {
                        stream.changed = true;
                    }
                    stream.flush();
                }
            } else {
                stream.changed = true; // read once the client has taken what is buffered
            }
        } catch (RuntimeException failed) {
            failures.increment();
            log.warn("an event stream failed and was closed", failed);
            stream.close();
        } finally {
            stream.scheduled.set(false);
        }
        afterWrite(stream);
    }

    /** After bytes went out: a stream that left something unread for want of room reads it now. */
    private void afterWrite(SseStream stream) {
        if (stream.changed && stream.hasRoom()) {
            wake(stream);
        }
    }

    /** Drops stalled streams, rechecks quiet ones and sends heartbeats; runs every stream poll interval. */
    private void sweep() {
        long now = System.nanoTime();
        long stall = api.streamStallTimeout().toNanos();
        long recheck = api.streamRecheckInterval().toNanos();
        long heartbeat = api.streamHeartbeat().toNanos();
        for (SseStream stream : open) {
            if (!stream.started) {
                continue; // its request thread is still on its way out
            }
            try {
                if (stream.blockedFor(now) > stall) {
                    stream.close();
                    dropped.increment();
                    log.info(
                            "dropped an event stream of '{}': its client took nothing for {}",
                            stream.caller,
                            api.streamStallTimeout());
                    continue;
                }
                if (now - stream.lastPoll >= recheck) {
                    stream.changed = true;
                    wake(stream);
                }
                if (stream.idle() && now - stream.lastWrite() >= heartbeat) {
                    stream.comment("keep-alive");
                    stream.flush();
                    afterWrite(stream); // this flush may have emptied a buffer a poll found full
                }
            } catch (RuntimeException failed) {
                failures.increment();
                log.warn("checking an event stream failed; it is checked again next time", failed);
            }
        }
    }

    /** Ends every open stream (clients reconnect to another instance with Last-Event-ID), then stops polling. */
    @Override
    public void destroy() {
        sweeper.shutdownNow();
        pollers.shutdownNow();
        open.forEach(SseStream::close);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
