package io.slurmgateway.pipes;

import static io.slurmgateway.support.TextAssertions.assertAppearInOrder;
import static org.assertj.core.api.Assertions.assertThat;

import io.slurmgateway.support.GatewayClient.SseEvent;
import io.slurmgateway.support.PipesPayloads;
import io.slurmgateway.support.SharedLocalGatewayTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Local runs whose real Python payload speaks the job side of Dagster Pipes: what it writes to its messages file comes
 * back as run events, in order and byte for byte, and decides the outcome as the protocol says.
 */
class PipesRelayTest extends SharedLocalGatewayTest {

    @Test
    void everyMessageArrivesAsAPipesEventInOrderExactlyAsWritten() {
        String id = client.createRun(PipesPayloads.writerRun("analytics/orders", "local", "full"));

        client.awaitState(id, "COMPLETED");
        List<String> written = client.log(id, "stdout").lines().toList();
        assertThat(written).hasSize(6);
        String body = client.get("/api/v1/runs/" + id + "/events").body();
        assertAppearInOrder(body, written);
        List<JsonNode> pipes = events(id, "PIPES");
        assertThat(pipes).hasSize(written.size());
        for (int i = 0; i < written.size(); i++) {
            assertThat(pipes.get(i)).isEqualTo(client.json(written.get(i)));
        }
        assertThat(pipes.stream().map(event -> event.get("method").asString()).toList())
                .isEqualTo(PipesPayloads.FULL_METHODS);
        assertThat(events(id, "LOG")).isEmpty();
    }

    @Test
    void resultsHoldTheMaterializationsAndChecksInDagstersShape() {
        String id = client.createRun(PipesPayloads.writerRun("analytics/orders", "local", "full"));
        client.awaitState(id, "COMPLETED");

        JsonNode results = client.json(client.get("/api/v1/runs/" + id + "/results"));

        assertThat(results.get("session").asString()).isEqualTo("CLOSED");
        assertThat(results.get("exception").isNull()).isTrue();
        assertThat(results.get("nextAfter").isNull()).isTrue();
        JsonNode first = results.get("materializations").get(0);
        assertThat(first.get("assetKey").asString()).isEqualTo("analytics/orders");
        assertThat(first.get("dataVersion").asString()).isEqualTo("v1");
        assertThat(first.get("metadata").get("rows").get("raw_value").bigIntegerValue())
                .hasToString("12345678901234567890");
        assertThat(first.get("metadata").get("note").get("raw_value").asString())
                .isEqualTo("tab\there, quote ' and \u00fc");
        assertThat(first.get("metadata").get("nothing").get("type").asString()).isEqualTo("null");
        JsonNode second = results.get("materializations").get(1);
        assertThat(second.get("assetKey").asString()).isEqualTo("analytics/summary");
        assertThat(second.get("dataVersion").isNull()).isTrue();
        assertThat(second.get("metadata")
                        .get("gr\u00f6\u00dfe")
                        .get("raw_value")
                        .asString())
                .isEqualTo("gr\u00fcn \u2713");
        JsonNode check = results.get("assetChecks").get(0);
        assertThat(check.get("checkName").asString()).isEqualTo("no_nulls");
        assertThat(check.get("passed").asBoolean()).isTrue();
        assertThat(check.get("severity").asString()).isEqualTo("ERROR");
        assertThat(results.get("assetChecks")).hasSize(1);

        JsonNode paged = client.json(client.get("/api/v1/runs/" + id + "/results?limit=2"));
        assertThat(paged.get("materializations")).hasSize(2);
        assertThat(paged.get("assetChecks")).isEmpty();
        long next = paged.get("nextAfter").asLong();
        JsonNode rest = client.json(client.get("/api/v1/runs/" + id + "/results?after=" + next));
        assertThat(rest.get("materializations")).isEmpty();
        assertThat(rest.get("assetChecks")).hasSize(1);
    }

    @Test
    void anExceptionReportedWithClosedFailsARunThatExitedZero() {
        String id = client.createRun(PipesPayloads.writerRun("analytics/orders", "local", "exception"));

        JsonNode run = client.awaitState(id, "FAILED");
        assertThat(run.get("exitCode").asInt()).isZero();
        assertThat(run.get("reason").asString())
                .isEqualTo("the payload reported an exception over Dagster Pipes: ValueError: bad rows: 3");
        JsonNode results = client.json(client.get("/api/v1/runs/" + id + "/results"));
        assertThat(results.get("exception").asString()).isEqualTo("ValueError: bad rows: 3");
    }

    @Test
    void aMalformedLineBecomesALogEventAndTheRestIsStillRelayed() {
        String id = client.createRun(PipesPayloads.writerRun("analytics/orders", "local", "malformed"));

        client.awaitState(id, "COMPLETED");
        assertThat(events(id, "PIPES").stream().map(event -> event.get("method").asString()))
                .containsExactly("opened", "log", "closed");
        List<String> notes = events(id, "LOG").stream()
                .map(event -> event.get("message").asString())
                .toList();
        assertThat(notes).hasSize(2);
        assertThat(notes.get(0))
                .contains("is not a Dagster Pipes message (not JSON")
                .endsWith("begins: this is not json");
        assertThat(notes.get(1)).contains("(no string __dagster_pipes_version)");
    }

    @Test
    void aLineWrittenInTwoPartsArrivesOnceAndWhole() {
        String id = client.createRun(PipesPayloads.writerRun("analytics/orders", "local", "partial"));

        client.awaitState(id, "COMPLETED");
        List<String> written = client.log(id, "stdout").lines().toList();
        assertThat(events(id, "PIPES").stream().map(event -> event.get("method").asString()))
                .containsExactly("opened", "log", "closed");
        assertAppearInOrder(client.get("/api/v1/runs/" + id + "/events").body(), written);
        assertThat(events(id, "LOG")).isEmpty();
    }

    @Test
    void messagesWrittenJustBeforeExitAreRelayedEvenWithoutAFinalLineEnd() {
        String id = client.createRun(PipesPayloads.writerRun("analytics/orders", "local", "last"));

        client.awaitState(id, "COMPLETED");
        assertThat(events(id, "PIPES").stream().map(event -> event.get("method").asString()))
                .containsExactly("opened", "log", "closed");
        assertThat(events(id, "PIPES").get(1).get("params").get("message").asString())
                .isEqualTo("last words");
        assertThat(events(id, "LOG")).isEmpty();
    }

    @Test
    void aSessionNeverClosedKeepsTheOutcomeAndIsNoted() {
        String id = client.createRun(PipesPayloads.writerRun("analytics/orders", "local", "unclosed"));

        client.awaitState(id, "COMPLETED");
        assertThat(events(id, "LOG").stream().map(event -> event.get("message").asString()))
                .containsExactly(
                        "the payload opened Dagster Pipes but never sent 'closed'; the run keeps the job's own outcome");
        assertThat(client.json(client.get("/api/v1/runs/" + id + "/results"))
                        .get("session")
                        .asString())
                .isEqualTo("OPENED");
    }

    @Test
    void anSseClientThatReconnectsWithLastEventIdMissesNothingAndGetsNothingTwice() {
        String id = client.createRun(PipesPayloads.writerRun("analytics/orders", "local", "many", "60", "0.02"));
        String path = "/api/v1/runs/" + id + "/events";

        List<SseEvent> first = client.sseEvents(path, Map.of(), 12); // disconnects while the job still writes
        assertThat(client.run(id).get("state").asString()).isNotIn("COMPLETED", "FAILED");
        List<SseEvent> rest = client.sseEvents(
                path, Map.of("Last-Event-ID", first.get(first.size() - 1).id()), Integer.MAX_VALUE);

        List<SseEvent> all = new ArrayList<>(first);
        all.addAll(rest);
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i).id()).isEqualTo(Integer.toString(i + 1));
        }
        List<String> messages = all.stream()
                .map(event -> client.json(event.data()))
                .filter(event -> event.get("type").asString().equals("PIPES"))
                .map(event -> event.get("data").get("params").get("message").asString())
                .toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            expected.add("message " + i);
        }
        assertThat(messages).isEqualTo(expected);
        assertThat(client.json(all.get(all.size() - 1).data())
                        .get("data")
                        .get("to")
                        .asString())
                .isEqualTo("COMPLETED");
    }

    @Test
    void aHundredThousandMessagesAreAllRelayedAndPagedInOrder() {
        int count = 100_000;
        String id = client.createRun(
                PipesPayloads.writerRun("analytics/orders", "local", "many", Integer.toString(count), "0"));

        client.awaitState(id, "COMPLETED", java.time.Duration.ofMinutes(3));
        int seen = 0;
        long after = 0;
        while (true) {
            JsonNode page = client.json(client.get("/api/v1/runs/" + id + "/events?after=" + after + "&limit=1000"));
            if (page.isEmpty()) {
                break;
            }
            for (JsonNode event : page) {
                after = event.get("seq").asLong();
                if (event.get("type").asString().equals("PIPES")) {
                    assertThat(event.get("data").get("params").get("message").asString())
                            .isEqualTo("message " + seen);
                    seen++;
                }
            }
        }
        assertThat(seen).isEqualTo(count);
    }

    private List<JsonNode> events(String id, String type) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode event : client.json(client.get("/api/v1/runs/" + id + "/events"))) {
            if (event.get("type").asString().equals(type)) {
                found.add(event.get("data"));
            }
        }
        return found;
    }
}
