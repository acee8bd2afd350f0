package io.slurmgateway.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.slurmgateway.runs.RunEvent;
import io.slurmgateway.runs.RunEventType;
import io.slurmgateway.runs.RunService;
import io.slurmgateway.support.SharedIdleGatewayTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The relay against the real database, fed a messages file in reads of random sizes, as a growing file or a slow
 * connection delivers it, and with restarts in between: every line becomes exactly one event, in order, whatever the
 * reads cut (lines, multi-byte characters, a line longer than the limit).
 */
class PipesRelayChunkingTest extends SharedIdleGatewayTest {

    private static final String OPENED = message("opened", "{\"extras\": {}}");
    private static final String LOG = message("log", "{\"message\": \"gr\u00fcn \u2713\", \"level\": \"INFO\"}");
    private static final String MATERIALIZED = message(
            "report_asset_materialization", "{\"asset_key\": \"a/b\", \"data_version\": null, \"metadata\": {}}");
    private static final String CLOSED = message("closed", "{}");
    private static final String OVERLONG = message("log", "{\"message\": \"" + "x".repeat(600) + "\"}");
    private static final String FILE =
            OPENED + "\n  \n" + LOG + "\nthis is not json\n" + OVERLONG + "\n" + MATERIALIZED + "\n" + CLOSED;

    @Autowired
    private PipesRelay relay;

    @Autowired
    private RunService runs;

    @Test
    void readsOfAnySizeAndRestartsRelayEveryLineExactlyOnceInOrder() {
        byte[] file = FILE.getBytes(StandardCharsets.UTF_8);
        for (int seed = 1; seed <= 25; seed++) {
            Random random = new Random(seed);
            UUID id = pipesRun();
            PipesCursor cursor = new PipesCursor(id);
            relay.resume(cursor);
            while (cursor.relayed() < file.length) {
                if (random.nextInt(10) == 0) {
                    cursor = new PipesCursor(id); // a restarted gateway: only what the run records is known
                    relay.resume(cursor);
                }
                int from = (int) cursor.readOffset();
                int to = Math.min(file.length, from + random.nextInt(40));
                boolean ended = to == file.length && random.nextBoolean(); // the job's end may be seen late
                relay.relay(cursor, Arrays.copyOfRange(file, from, to), ended);
            }
            assertRelayedAsExpected(id, "seed " + seed);
        }
    }

    @Test
    void theWholeFileInOneReadGivesTheSameEvents() {
        UUID id = pipesRun();
        PipesCursor cursor = new PipesCursor(id);
        relay.resume(cursor);

        relay.relay(cursor, FILE.getBytes(StandardCharsets.UTF_8), true);

        assertRelayedAsExpected(id, "one read");
    }

    @Test
    void aLastLineWithoutItsEndWaitsUntilTheJobHasEnded() {
        UUID id = pipesRun();
        PipesCursor cursor = new PipesCursor(id);
        relay.resume(cursor);
        byte[] bytes = (OPENED + "\n" + CLOSED).getBytes(StandardCharsets.UTF_8);

        relay.relay(cursor, bytes, false);
        assertThat(pipesData(id)).containsExactly(OPENED);
        assertThat(cursor.relayed()).isEqualTo(OPENED.length() + 1);

        relay.relay(cursor, new byte[0], true);
        assertThat(pipesData(id)).containsExactly(OPENED, CLOSED);
    }

    @Test
    void aStaleCursorStoresNothingTwiceAndResumesFromTheRun() {
        UUID id = pipesRun();
        byte[] bytes = (OPENED + "\n" + LOG + "\n").getBytes(StandardCharsets.UTF_8);
        PipesCursor current = new PipesCursor(id);
        PipesCursor stale = new PipesCursor(id);
        relay.resume(current);
        relay.resume(stale);

        assertThat(relay.relay(current, bytes, false)).isTrue();
        assertThat(relay.relay(stale, bytes, false)).isFalse();

        assertThat(pipesData(id)).containsExactly(OPENED, LOG);
        assertThat(stale.readOffset()).isEqualTo(bytes.length);
    }

    @Test
    void pagesOfEventsAreCutAtTheirByteLimitAndPagingLosesNothing() {
        UUID id = pipesRun();
        PipesCursor cursor = new PipesCursor(id);
        relay.resume(cursor);
        String materializations = String.join("\n", MATERIALIZED, MATERIALIZED, MATERIALIZED) + "\n";
        relay.relay(cursor, (FILE + "\n" + materializations).getBytes(StandardCharsets.UTF_8), true);

        List<Long> seqs = new ArrayList<>();
        boolean cut = false;
        while (true) {
            long after = seqs.isEmpty() ? 0 : seqs.get(seqs.size() - 1);
            JsonNode page = client.json(client.get("/api/v1/runs/" + id + "/events?after=" + after));
            if (page.isEmpty()) {
                break;
            }
            int bytes = page.valueStream()
                    .mapToInt(event -> event.get("data").toString().length())
                    .sum();
            assertThat(page.size() == 1 || bytes <= 300).as("page %s", page).isTrue();
            cut |= page.size() > 0 && page.size() < 10;
            page.forEach(event -> seqs.add(event.get("seq").asLong()));
        }
        assertThat(seqs).isEqualTo(LongStream.rangeClosed(1, 10).boxed().toList());
        assertThat(cut).isTrue();

        List<Long> reported = new ArrayList<>();
        long after = 0;
        do {
            JsonNode results = client.json(client.get("/api/v1/runs/" + id + "/results?after=" + after));
            results.get("materializations")
                    .forEach(result -> reported.add(result.get("seq").asLong()));
            after = results.get("nextAfter").isNull()
                    ? -1
                    : results.get("nextAfter").asLong();
        } while (after >= 0);
        assertThat(reported).containsExactly(6L, 8L, 9L, 10L);
    }

    private void assertRelayedAsExpected(UUID id, String description) {
        List<RunEvent> events = runs.events(id, 1, 100, Long.MAX_VALUE).events(); // after the ACCEPTED state change
        assertThat(events).as(description).hasSize(6);
        assertThat(events.stream().map(RunEvent::getType))
                .as(description)
                .containsExactly(
                        RunEventType.PIPES,
                        RunEventType.PIPES,
                        RunEventType.LOG,
                        RunEventType.LOG,
                        RunEventType.PIPES,
                        RunEventType.PIPES);
        assertThat(pipesData(id)).as(description).containsExactly(OPENED, LOG, MATERIALIZED, CLOSED);
        int notJsonAt = (OPENED + "\n  \n" + LOG + "\n").getBytes(StandardCharsets.UTF_8).length;
        assertThat(events.get(2).getData())
                .as(description)
                .contains("the line at byte " + notJsonAt + " is not a Dagster Pipes message (not JSON")
                .contains("it begins: this is not json\"");
        assertThat(events.get(3).getData())
                .as(description)
                .contains("the line at byte " + (notJsonAt + "this is not json\n".length())
                        + " is longer than gateway.pipes.max-message-size (256 bytes)")
                .endsWith("it begins: {\\\"__dagster_pipes_ve\"}");
    }

    private List<String> pipesData(UUID id) {
        return runs.events(id, 0, 100, Long.MAX_VALUE).events().stream()
                .filter(event -> event.getType() == RunEventType.PIPES)
                .map(RunEvent::getData)
                .toList();
    }

    private UUID pipesRun() {
        return UUID.fromString(client.createRun(
                "{\"asset\": \"a/b\", \"payload\": {\"script\": \"true\"}, \"dagster\": {\"pipesContext\": {}}}"));
    }

    private static String message(String method, String params) {
        return "{\"__dagster_pipes_version\": \"0.1\", \"method\": \"" + method + "\", \"params\": " + params + "}";
    }
}
