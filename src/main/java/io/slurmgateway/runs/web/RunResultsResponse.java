package io.slurmgateway.runs.web;

import io.slurmgateway.pipes.PipesMessage;
import io.slurmgateway.runs.EventPage;
import io.slurmgateway.runs.PipesSession;
import io.slurmgateway.runs.Run;
import io.slurmgateway.runs.RunEvent;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a run's payload reported over Dagster Pipes, in the shape of Dagster's {@code MaterializeResult} and
 * {@code AssetCheckResult}: metadata entries stay as the payload wrote them ({@code {"raw_value", "type"}}), which is
 * what Dagster's own Pipes reader turns into metadata values.
 *
 * @param session what the payload's messages said of its Pipes session; null for a run without a Pipes context
 * @param exception the exception the payload reported with {@code closed}, as "name: message"
 * @param nextAfter the {@code after} of the next page when more may follow (this one is full, or was cut at
 *     {@code gateway.api.max-event-bytes-per-read}), else null
 */
record RunResultsResponse(
        PipesSession session,
        String exception,
        List<Materialization> materializations,
        List<AssetCheck> assetChecks,
        Long nextAfter) {

    /** One {@code report_asset_materialization}; {@code seq} is its event's. */
    record Materialization(
            long seq,
            String assetKey,
            String dataVersion,
            @Schema(type = "object", description = "name -> {raw_value, type}, as reported") JsonNode metadata) {}

    /** One {@code report_asset_check}; {@code seq} is its event's. */
    record AssetCheck(
            long seq,
            String assetKey,
            String checkName,
            Boolean passed,
            @Schema(allowableValues = {"WARN", "ERROR"}) String severity,
            @Schema(type = "object", description = "name -> {raw_value, type}, as reported") JsonNode metadata) {}

    static RunResultsResponse of(Run run, EventPage page, JsonMapper json) {
        List<Materialization> materializations = new ArrayList<>();
        List<AssetCheck> checks = new ArrayList<>();
        for (RunEvent event : page.events()) {
            JsonNode params = json.readTree(event.getData()).path("params");
            if (PipesMessage.MATERIALIZATION.equals(event.getPipesMethod())) {
                materializations.add(new Materialization(
                        event.getSeq(), text(params, "asset_key"), text(params, "data_version"), object(params)));
            } else {
                checks.add(new AssetCheck(
                        event.getSeq(),
                        text(params, "asset_key"),
                        text(params, "check_name"),
                        params.path("passed").isBoolean()
                                ? params.path("passed").asBoolean()
                                : null,
                        text(params, "severity"),
                        object(params)));
            }
        }
        List<RunEvent> events = page.events();
        Long nextAfter =
                page.more() && !events.isEmpty() ? events.get(events.size() - 1).getSeq() : null;
        return new RunResultsResponse(
                run.getPipes().session(), run.getPipes().exception(), materializations, checks, nextAfter);
    }

    private static String text(JsonNode params, String field) {
        return params.path(field).isString() ? params.path(field).asString() : null;
    }

    private static JsonNode object(JsonNode params) {
        JsonNode metadata = params.path("metadata");
        return metadata.isObject() ? metadata : null;
    }
}
