package io.slurmgateway.runs.web;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;

/**
 * One open server-sent event response, written with non-blocking servlet I/O: events wait in a buffer of their own
 * and go out only as fast as the client reads them, so a client that stops reading holds up no thread and no other
 * stream. Its source reads nothing more while the buffer is full ({@link #hasRoom}); a stream that has had bytes
 * waiting for longer than the stall timeout is dropped by {@link SseStreams}.
 *
 * <p>Writes happen on whichever thread asks for them (a poller or the container's write callback), one at a time:
 * {@link #flush} lets one thread write and makes any other that asks meanwhile hand its turn to it, so no thread ever
 * waits for another here.
 */
final class SseStream implements SseStreams.Sink, WriteListener, AsyncListener {

    /** The most bytes handed to the container in one write, which is the most it buffers for a stalled client. */
    private static final int WRITE_PIECE = 64 * 1024;

    private static final byte[] ID = "id:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "\ndata:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final JsonMapper json;
    private final long bufferLimit;
    private final Consumer<SseStream> onClosed;
    private final Consumer<SseStream> onRoom;

    private final Queue<byte[]> pending = new ConcurrentLinkedQueue<>();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicInteger flushRequests = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean(); // nothing more is sent; its slot is released
    private final AtomicBoolean completed = new AtomicBoolean(); // the response is ended

    // touched only by the thread that holds the write turn
    private byte[] writing;
    private int written;

    private volatile boolean ending;
    private volatile long blockedSince; // System.nanoTime() since when the client has taken nothing; 0 when none wait
    private volatile long lastWrite = System.nanoTime();

    // polling state, kept here so that the registry needs nothing per stream but the stream
    final AtomicBoolean scheduled = new AtomicBoolean();
    volatile boolean changed;
    volatile long lastPoll = System.nanoTime();

    /** The container has called onWritePossible: the request thread has left the filters, writes may begin. */
    volatile boolean started;

    /** The container ended the stream because its client took nothing for the connector's own timeout. */
    volatile boolean timedOut;

    SseStreams.Source source;
    Runnable unwatch = () -> {};
    String caller;

    SseStream(
            AsyncContext async,
            ServletOutputStream out,
            JsonMapper json,
            long bufferLimit,
            Consumer<SseStream> onClosed,
            Consumer<SseStream> onRoom) {
        this.async = async;
        this.out = out;
        this.json = json;
        this.bufferLimit = bufferLimit;
        this.onClosed = onClosed;
        this.onRoom = onRoom;
    }

    @Override
    public void event(String id, Object data) {
        byte[] body = json.writeValueAsBytes(data);
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[ID.length + idBytes.length + DATA.length + body.length + END.length];
        int at = 0;
        for (byte[] part : new byte[][] {ID, idBytes, DATA, body, END}) {
            System.arraycopy(part, 0, frame, at, part.length);
            at += part.length;
        }
        enqueue(frame);
    }

    /** Queues a comment, which clients ignore; it keeps proxies from closing a quiet stream. */
    void comment(String text) {
        enqueue((":" + text + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    private void enqueue(byte[] frame) {
        if (!closed.get()) {
            pending.add(frame);
            pendingBytes.addAndGet(frame.length);
        }
    }

    @Override
    public boolean hasRoom() {
        return pendingBytes.get() < bufferLimit && !closed.get();
    }

    /** Whether nothing waits to be written. */
    boolean idle() {
        return pendingBytes.get() == 0 && blockedSince == 0;
    }

    /** Nanoseconds the client has taken nothing while bytes wait for it, or 0 when none wait. */
    long blockedFor(long now) {
        long since = blockedSince;
        return since == 0 ? 0 : Math.max(1, now - since);
    }

    long lastWrite() {
        return lastWrite;
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Writes what is queued, then ends the response: the source has nothing more. */
    void end() {
        ending = true;
        flush();
    }

    /**
     * Writes as much of the queue as the client takes now; the rest goes when the container says it can. Whichever
     * thread holds the turn also ends the response once the stream is closed, so the response is never ended under a
     * write in progress.
     */
    void flush() {
        if (flushRequests.getAndIncrement() != 0) {
            return; // the thread that writes now writes this too
        }
        int missed = 1;
        do {
            writeWhatTheClientTakes();
            missed = flushRequests.addAndGet(-missed);
        } while (missed != 0);
    }

    private void writeWhatTheClientTakes() {
        if (closed.get()) {
            complete();
            return;
        }
        try {
            while (!closed.get()) {
                if (writing == null) {
                    writing = pending.poll();
                    written = 0;
                    if (writing == null) {
                        break;
                    }
                }
                if (!out.isReady()) {
                    blocked();
                    return; // the container calls onWritePossible once the client has read
                }
                int length = Math.min(WRITE_PIECE, writing.length - written);
                out.write(writing, written, length);
                written += length;
                lastWrite = System.nanoTime();
                blockedSince = 0; // the client took what came before: it is slow, perhaps, but not stalled
                if (written == writing.length) {
                    pendingBytes.addAndGet(-writing.length);
                    writing = null;
                }
            }
            if (closed.get()) {
                complete();
                return;
            }
            if (!out.isReady()) {
                blocked();
                return;
            }
            out.flush();
            if (!out.isReady()) {
                blocked();
                return;
            }
            blockedSince = 0;
            if (ending) {
                close(); // this thread holds the turn: the next pass of flush() ends the response
            }
        } catch (IOException | RuntimeException clientGone) {
            // the client went, or the container ended the response meanwhile (a timeout, an error)
            close();
        }
    }

    private void blocked() {
        if (blockedSince == 0) {
            blockedSince = System.nanoTime();
        }
    }

    /** Stops the stream: nothing more is queued or written, its slot is released, and the response is ended. */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        pending.clear();
        pendingBytes.set(0);
        onClosed.accept(this);
        flush(); // ends the response, on this thread or on the one that is writing now
    }

    private void complete() {
        if (completed.compareAndSet(false, true)) {
            try {
                async.complete();
            } catch (RuntimeException alreadyEnded) {
                // the container ended it first
            }
        }
    }

    @Override
    public void onWritePossible() {
        started = true;
        flush();
        onRoom.accept(this); // the first call, or a poll that left what was new unread for want of room, reads now
    }

    @Override
    public void onError(Throwable failure) {
        timedOut = failure instanceof java.net.SocketTimeoutException;
        close();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        close();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        close();
    }

    @Override
    public void onError(AsyncEvent event) {
        close();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }
}
