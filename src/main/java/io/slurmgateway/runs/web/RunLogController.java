package io.slurmgateway.runs.web;

import io.slurmgateway.runs.LogStream;
import io.slurmgateway.runs.RunLogService;
import io.slurmgateway.runs.RunService;
import io.slurmgateway.security.Caller;
import io.slurmgateway.security.Callers;
import io.slurmgateway.system.InvalidParameterException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A run's stdout and stderr from the gateway's log store: read from an offset, or followed over SSE. */
@RestController
@RequestMapping("/api/v1/runs/{id}/logs/{stream}")
@Tag(name = "runs")
class RunLogController {

    static final String NEXT_OFFSET = "X-Next-Offset";
    static final String LOG_COMPLETE = "X-Log-Complete";

    /** The most slices one read of a followed log sends before other streams get their turn. */
    private static final int SLICES_PER_READ = 32;

    private final RunService runs;
    private final RunLogService logs;
    private final SseStreams streams;
    private final ApiProperties api;

    RunLogController(RunService runs, RunLogService logs, SseStreams streams, ApiProperties api) {
        this.runs = runs;
        this.logs = logs;
        this.streams = streams;
        this.api = api;
    }

    /** New bytes in an SSE stream: {@code text} is the UTF-8 decoding of bytes {@code [offset, nextOffset)}. */
    record LogChunkEvent(long offset, long nextOffset, String text) {}

    /**
     * Bytes from {@code offset}; {@code X-Next-Offset} says where to continue, {@code X-Log-Complete} whether the run
     * has ended and all its output is stored, so nothing more will come (a Slurm run's outcome is recorded as soon as
     * its job ends; its output may still be being copied then).
     */
    @GetMapping
    @Operation(
            summary = "A run's output from an offset",
            description = "Send Accept: text/event-stream to follow the output instead (events of LogChunkEvent).",
            responses = {
                @ApiResponse(
                        responseCode = "200",
                        description = "Bytes from the offset, at most gateway.api.max-log-read",
                        headers = {
                            @Header(
                                    name = NEXT_OFFSET,
                                    description = "Where the next read starts",
                                    schema = @Schema(type = "integer")),
                            @Header(
                                    name = LOG_COMPLETE,
                                    description = "Whether the run has ended and all its output is stored, so nothing"
                                            + " more will come",
                                    schema = @Schema(type = "boolean"))
                        },
                        content = {
                            @Content(mediaType = "text/plain", schema = @Schema(type = "string")),
                            @Content(
                                    mediaType = "text/event-stream",
                                    schema = @Schema(implementation = LogChunkEvent.class))
                        }),
                @ApiResponse(responseCode = "400", description = "Unknown stream or negative offset"),
                @ApiResponse(
                        responseCode = "503",
                        description = "Too many event streams are open; retry after Retry-After seconds"),
                @ApiResponse(responseCode = "404", description = "No run with this id")
            })
    ResponseEntity<byte[]> read(
            @PathVariable UUID id,
            @Parameter(schema = @Schema(allowableValues = {"stdout", "stderr"})) @PathVariable String stream,
            @RequestParam(defaultValue = "0") long offset) {
        LogStream logStream = streamOf(stream);
        checkOffset(offset);
        // read before the bytes: an ended run whose output is all stored has them all
        boolean ended =
                logs.complete(id, runs.get(id, Callers.current()).getState().isTerminal());
        RunLogService.LogSlice slice =
                logs.read(id, logStream, offset, (int) api.maxLogRead().toBytes());
        boolean complete = isLastSlice(ended, slice);
        return ResponseEntity.ok()
                .contentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8))
                .header(NEXT_OFFSET, Long.toString(slice.nextOffset()))
                .header(LOG_COMPLETE, Boolean.toString(complete))
                .body(slice.bytes());
    }

    /** Follows the stream until the run has ended and everything is sent; each event's id is its next offset. */
    @GetMapping(produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(hidden = true) // documented with read: one operation, two representations
    void follow(
            @PathVariable UUID id,
            @PathVariable String stream,
            @RequestParam(defaultValue = "0") long offset,
            @RequestHeader(name = "Last-Event-ID", required = false) Long lastEventId,
            HttpServletRequest request,
            HttpServletResponse response) {
        LogStream logStream = streamOf(stream);
        long start = lastEventId != null ? lastEventId : offset;
        checkOffset(start);
        Caller caller = Callers.current();
        runs.get(id, caller);
        long[] position = {start};
        streams.open(caller, id, request, response, sink -> {
            // a read sends what is stored, slice by slice, while the stream's buffer has room: a follower that is
            // behind catches up at the speed of the database and of its own connection. Read once, before the bytes:
            // when the output was complete then, every byte is stored
            boolean ended = logs.complete(id, runs.hasEnded(id));
            for (int slices = 0; slices < SLICES_PER_READ; slices++) {
                if (!sink.hasRoom()) {
                    return SseStreams.Progress.MORE;
                }
                RunLogService.LogSlice slice = logs.read(
                        id, logStream, position[0], (int) api.maxLogRead().toBytes());
                // a character split across two reads would reach the client as two replacement characters; only the
                // very last bytes of an ended run are sent as they are
                boolean last = isLastSlice(ended, slice);
                int length = last ? slice.bytes().length : Utf8.completePrefixLength(slice.bytes());
                if (length == 0) {
                    return ended && slice.bytes().length == 0
                            ? SseStreams.Progress.ENDED
                            : SseStreams.Progress.CAUGHT_UP;
                }
                long next = position[0] + length;
                sink.event(
                        Long.toString(next),
                        new LogChunkEvent(
                                position[0], next, new String(slice.bytes(), 0, length, StandardCharsets.UTF_8)));
                position[0] = next;
                if (slice.bytes().length < api.maxLogRead().toBytes()) {
                    return last ? SseStreams.Progress.ENDED : SseStreams.Progress.CAUGHT_UP;
                }
            }
            return SseStreams.Progress.MORE; // the pool's other streams get their turn before this one goes on
        });
    }

    /**
     * Whether a slice holds the last bytes there will ever be: the run had ended before the read (so all its output was
     * stored), and the read came back short of the most it may return.
     */
    private boolean isLastSlice(boolean ended, RunLogService.LogSlice slice) {
        return ended && slice.bytes().length < api.maxLogRead().toBytes();
    }

    private static LogStream streamOf(String stream) {
        return LogStream.fromPathSegment(stream)
                .orElseThrow(() -> new InvalidParameterException("stream", "must be stdout or stderr"));
    }

    private static void checkOffset(long offset) {
        if (offset < 0) {
            throw new InvalidParameterException("offset", "must be 0 or more");
        }
    }
}
