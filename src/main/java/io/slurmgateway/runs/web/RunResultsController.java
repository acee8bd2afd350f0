package io.slurmgateway.runs.web;

import io.slurmgateway.runs.Run;
import io.slurmgateway.runs.RunService;
import io.slurmgateway.security.Callers;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** The asset materializations and check results a run's payload reported over Dagster Pipes, paged. */
@RestController
@Tag(name = "runs")
class RunResultsController {

    private final RunService runs;
    private final ApiProperties api;
    private final JsonMapper json;

    RunResultsController(RunService runs, ApiProperties api, JsonMapper json) {
        this.runs = runs;
        this.api = api;
        this.json = json;
    }

    @GetMapping(path = "/api/v1/runs/{id}/results", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Materializations and asset-check results reported so far",
            description = "From the run's report_asset_materialization and report_asset_check Pipes messages, oldest"
                    + " first, at most limit of both together after the event sequence number after; nextAfter pages"
                    + " on.",
            responses = {
                @ApiResponse(responseCode = "200", description = "Results reported after the given sequence number"),
                @ApiResponse(responseCode = "400", description = "Negative position or limit out of range"),
                @ApiResponse(responseCode = "404", description = "No run with this id")
            })
    RunResultsResponse results(
            @PathVariable UUID id,
            @RequestParam(defaultValue = "0") long after,
            @RequestParam(required = false) Integer limit) {
        int count = EventPages.limit(limit, api);
        Run run = runs.get(id, Callers.current());
        return RunResultsResponse.of(
                run,
                runs.reportedResults(
                        id,
                        EventPages.after(after),
                        count,
                        api.maxEventBytesPerRead().toBytes()),
                json);
    }
}
