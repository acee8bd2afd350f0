package io.slurmgateway.runs.web;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.slurmgateway.runs.RunEvent;
import io.slurmgateway.runs.RunEventType;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** One entry of a run's history; {@code data} is the event's JSON object as stored. */
record RunEventResponse(
        long seq,
        RunEventType type,
        Instant at,
        @JsonRawValue @Schema(type = "object", description = "event-specific fields") String data) {

    static RunEventResponse of(RunEvent event) {
        return new RunEventResponse(event.getSeq(), event.getType(), event.getOccurredAt(), event.getData());
    }
}
