package io.slurmgateway.runs.web;

import io.slurmgateway.runs.EventPage;
import io.slurmgateway.runs.RunEvent;
import io.slurmgateway.runs.RunLogService;
import io.slurmgateway.runs.RunService;
import io.slurmgateway.security.Caller;
import io.slurmgateway.security.Callers;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A run's history in order: read after a sequence number, or followed over SSE. */
@RestController
@RequestMapping("/api/v1/runs/{id}/events")
@Tag(name = "runs")
class RunEventController {

    private final RunService runs;
    private final RunLogService logs;
    private final SseStreams streams;
    private final ApiProperties api;

    RunEventController(RunService runs, RunLogService logs, SseStreams streams, ApiProperties api) {
        this.runs = runs;
        this.logs = logs;
        this.streams = streams;
        this.api = api;
    }

    /** Events with {@code seq > after}, oldest first, at most {@code limit}. */
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "A run's history after a sequence number",
            description = "Send Accept: text/event-stream to follow the history until the run has ended; each SSE id is"
                    + " the event's seq, and Last-Event-ID resumes after it.",
            responses = {
                @ApiResponse(
                        responseCode = "200",
                        description = "Events with seq > after, oldest first",
                        content = {
                            @Content(
                                    mediaType = "application/json",
                                    array = @ArraySchema(schema = @Schema(implementation = RunEventResponse.class))),
                            @Content(
                                    mediaType = "text/event-stream",
                                    schema = @Schema(implementation = RunEventResponse.class))
                        }),
                @ApiResponse(responseCode = "400", description = "Negative position or limit out of range"),
                @ApiResponse(responseCode = "404", description = "No run with this id"),
                @ApiResponse(
                        responseCode = "503",
                        description = "Too many event streams are open; retry after Retry-After seconds")
            })
    List<RunEventResponse> read(
            @PathVariable UUID id,
            @RequestParam(defaultValue = "0") long after,
            @RequestParam(required = false) Integer limit) {
        int count = EventPages.limit(limit, api);
        long from = EventPages.after(after);
        runs.get(id, Callers.current());
        return runs.events(id, from, count, api.maxEventBytesPerRead().toBytes()).events().stream()
                .map(RunEventResponse::of)
                .toList();
    }

    /**
     * Follows the history until the run has ended, its output is stored, and every event is sent; each SSE id is the
     * event's seq.
     */
    @GetMapping(produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(hidden = true) // documented with read: one operation, two representations
    void follow(
            @PathVariable UUID id,
            @RequestParam(defaultValue = "0") long after,
            @RequestHeader(name = "Last-Event-ID", required = false) Long lastEventId,
            HttpServletRequest request,
            HttpServletResponse response) {
        long start = EventPages.after(lastEventId != null ? lastEventId : after);
        Caller caller = Callers.current();
        runs.get(id, caller);
        long[] position = {start};
        streams.open(caller, id, request, response, sink -> {
            // read before the events: a run that had ended, with all its output stored, then had all its events stored
            // (copying the output of an ended run may still add notes, such as a log cut at its size limit)
            boolean ended = logs.complete(id, runs.hasEnded(id));
            EventPage page = runs.events(
                    id,
                    position[0],
                    api.maxEventsPerRead(),
                    api.maxEventBytesPerRead().toBytes());
            for (RunEvent event : page.events()) {
                sink.event(Long.toString(event.getSeq()), RunEventResponse.of(event));
                position[0] = event.getSeq();
            }
            if (page.more()) {
                return SseStreams.Progress.MORE;
            }
            return ended ? SseStreams.Progress.ENDED : SseStreams.Progress.CAUGHT_UP;
        });
    }
}
