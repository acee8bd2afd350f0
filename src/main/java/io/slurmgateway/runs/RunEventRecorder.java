package io.slurmgateway.runs;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Stores every published state change, relayed Pipes message and note as a run event, inside the transaction that published it. */
@Component
class RunEventRecorder {

    private final RunEventRepository events;
    private final JsonMapper json;

    RunEventRecorder(RunEventRepository events, JsonMapper json) {
        this.events = events;
        this.json = json;
    }

    @EventListener
    void on(RunStateChanged change) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("from", change.from());
        data.put("to", change.to());
        data.put("reason", change.reason());
        events.save(new RunEvent(
                change.runId(), change.seq(), RunEventType.STATE, change.at(), json.writeValueAsString(data)));
    }

    @EventListener
    void on(PipesMessageRelayed message) {
        events.save(new RunEvent(
                message.runId(), message.seq(), RunEventType.PIPES, message.at(), message.json(), message.method()));
    }

    @EventListener
    void on(RunNoted note) {
        events.save(new RunEvent(
                note.runId(),
                note.seq(),
                RunEventType.LOG,
                note.at(),
                json.writeValueAsString(Map.of("message", note.message()))));
    }
}
