package io.slurmgateway.runs.web;

import io.slurmgateway.launch.RunSpec;
import io.slurmgateway.runs.Run;
import io.slurmgateway.runs.RunService;
import io.slurmgateway.runs.RunState;
import io.slurmgateway.security.Callers;
import io.slurmgateway.system.InvalidParameterException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Accepting, reading, listing and cancelling runs. */
@RestController
@RequestMapping(path = "/api/v1/runs", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "runs")
class RunController {

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

    private final RunService runs;
    private final ApiProperties api;

    RunController(RunService runs, ApiProperties api) {
        this.runs = runs;
        this.api = api;
    }

    /** Accepts a run: 202 for a new run, 200 for a repeat of an earlier request with the same Idempotency-Key. */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Accept a run",
            responses = {
                @ApiResponse(
                        responseCode = "202",
                        description = "Accepted: the new run; Location names it",
                        content =
                                @Content(
                                        mediaType = "application/json",
                                        schema = @Schema(implementation = RunResponse.class))),
                @ApiResponse(
                        responseCode = "200",
                        description =
                                "A repeat of an earlier request with the same Idempotency-Key: its run, nothing new runs",
                        content =
                                @Content(
                                        mediaType = "application/json",
                                        schema = @Schema(implementation = RunResponse.class))),
                @ApiResponse(responseCode = "400", description = "Invalid request: every offending field in errors"),
                @ApiResponse(
                        responseCode = "409",
                        description = "The Idempotency-Key was first used with a different body"),
                @ApiResponse(
                        responseCode = "413",
                        description = "The body is larger than gateway.api.max-request-size"),
                @ApiResponse(responseCode = "415", description = "The body is not application/json"),
                @ApiResponse(
                        responseCode = "429",
                        description = "The caller has gateway.security.limits.max-active-runs runs that have not"
                                + " ended, or the gateway gateway.runs.max-backlog runs waiting in ACCEPTED: nothing"
                                + " was created; retry after Retry-After seconds. A repeat with a known"
                                + " Idempotency-Key is answered as before (200)",
                        headers =
                                @Header(
                                        name = "Retry-After",
                                        description = "Seconds to wait before trying again",
                                        schema = @Schema(type = "integer")))
            })
    ResponseEntity<RunResponse> create(
            @RequestBody RunSpec spec,
            @Parameter(description = "Makes a retried create safe: a repeat returns the first run")
                    @RequestHeader(name = "Idempotency-Key", required = false)
                    String key) {
        if (key != null && !IDEMPOTENCY_KEY.matcher(key).matches()) {
            throw new InvalidParameterException(
                    "Idempotency-Key", "must be 1 to 255 printable ASCII characters without spaces");
        }
        RunService.Created created = runs.create(spec, key, Callers.current());
        Run run = created.run();
        return ResponseEntity.status(created.isNew() ? HttpStatus.ACCEPTED : HttpStatus.OK)
                .location(URI.create("/api/v1/runs/" + run.getId()))
                .body(RunResponse.of(run, created.spec().resources()));
    }

    @GetMapping("/{id}")
    @Operation(
            summary = "One run",
            responses = {
                @ApiResponse(
                        responseCode = "200",
                        description = "The run",
                        content =
                                @Content(
                                        mediaType = "application/json",
                                        schema = @Schema(implementation = RunResponse.class))),
                @ApiResponse(responseCode = "404", description = "No run with this id"),
                @ApiResponse(responseCode = "400", description = "The id is not a UUID")
            })
    RunResponse get(@PathVariable UUID id) {
        Run run = runs.get(id, Callers.current());
        return RunResponse.of(run, runs.resourcesOf(run));
    }

    @GetMapping
    @Operation(
            summary = "Runs, newest first, filtered and paged",
            responses = {
                @ApiResponse(
                        responseCode = "200",
                        description = "One page of runs",
                        content =
                                @Content(
                                        mediaType = "application/json",
                                        schema = @Schema(implementation = RunPage.class))),
                @ApiResponse(responseCode = "400", description = "A filter or paging parameter is invalid")
            })
    RunPage list(
            @RequestParam(required = false) RunState state,
            @RequestParam(required = false) String asset,
            @RequestParam(required = false) String cluster,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        if (page < 0) {
            throw new InvalidParameterException("page", "must be 0 or more");
        }
        if (size < 1 || size > api.maxPageSize()) {
            throw new InvalidParameterException("size", "must be between 1 and " + api.maxPageSize());
        }
        if ((long) page * size > Integer.MAX_VALUE) {
            throw new InvalidParameterException("page", "is beyond the last possible page for this size");
        }
        Page<Run> found = runs.list(
                new RunService.RunFilter(state, asset, cluster),
                PageRequest.of(page, size, Sort.by(Sort.Order.desc("times.createdAt"), Sort.Order.desc("id"))),
                Callers.current());
        return new RunPage(
                found.map(run -> RunResponse.of(run, runs.resourcesOf(run))).getContent(),
                page,
                size,
                found.getTotalElements(),
                found.getTotalPages());
    }

    /** Cancels a run (202); a run that has already ended is a 409. */
    @PostMapping("/{id}/cancel")
    @Operation(
            summary = "Cancel a run",
            description = "A run that has not started ends CANCELLED at once; an executing one is stopped and then ends"
                    + " CANCELLED (cancelRequested is true meanwhile).",
            responses = {
                @ApiResponse(
                        responseCode = "202",
                        description = "Cancelled, or being stopped",
                        content =
                                @Content(
                                        mediaType = "application/json",
                                        schema = @Schema(implementation = RunResponse.class))),
                @ApiResponse(responseCode = "404", description = "No run with this id"),
                @ApiResponse(responseCode = "409", description = "The run has already ended")
            })
    ResponseEntity<RunResponse> cancel(@PathVariable UUID id) {
        Run run = runs.cancel(id, Callers.current());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(RunResponse.of(run, runs.resourcesOf(run)));
    }
}
