package io.slurmgateway.runs;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stores every published state change, note and relayed Pipes line as a run event, inside the transaction that
 * published it. Events are only ever inserted, so they are written with plain JDBC: the lines of one relay go to the
 * database as one batch, where inserting them one by one through JPA would cost a round trip each. Every publisher
 * flushes the run first (see {@link RunWorkQueue}), so the run row the events refer to is always there.
 */
@Component
class RunEventRecorder {

    private static final String INSERT = "INSERT INTO run_event (run_id, seq, event_type, occurred_at, data_json,"
            + " pipes_method) VALUES (?, ?, ?, ?, ?, ?)";

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    /** One row of {@code run_event}. */
    private record Row(long seq, RunEventType type, Instant at, String dataJson, String pipesMethod) {}

    RunEventRecorder(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @EventListener
    void on(RunStateChanged change) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("from", change.from());
        data.put("to", change.to());
        data.put("reason", change.reason());
        insert(
                change.runId(),
                List.of(new Row(change.seq(), RunEventType.STATE, change.at(), json.writeValueAsString(data), null)));
    }

    @EventListener
    void on(RunNoted note) {
        insert(note.runId(), List.of(new Row(note.seq(), RunEventType.LOG, note.at(), noteJson(note.message()), null)));
    }

    @EventListener
    void on(RunEndpointPublished published) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", published.name());
        data.put("url", published.url());
        insert(
                published.runId(),
                List.of(new Row(
                        published.seq(), RunEventType.ENDPOINT, published.at(), json.writeValueAsString(data), null)));
    }

    @EventListener
    void on(PipesLinesRelayed relayed) {
        insert(
                relayed.runId(),
                relayed.events().stream()
                        .map(event -> new Row(
                                event.seq(),
                                event.type(),
                                event.at(),
                                event.type() == RunEventType.LOG ? noteJson(event.text()) : event.text(),
                                event.pipesMethod()))
                        .toList());
    }

    private String noteJson(String message) {
        return json.writeValueAsString(Map.of("message", message));
    }

    private void insert(UUID runId, List<Row> rows) {
        jdbc.batchUpdate(INSERT, rows, rows.size(), (statement, row) -> {
            statement.setObject(1, runId);
            statement.setLong(2, row.seq());
            statement.setString(3, row.type().name());
            statement.setObject(4, OffsetDateTime.ofInstant(row.at(), ZoneOffset.UTC));
            statement.setString(5, row.dataJson());
            statement.setString(6, row.pipesMethod());
        });
    }
}
