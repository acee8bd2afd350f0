package io.slurmgateway.pipes;

import static org.assertj.core.api.Assertions.assertThat;

import io.slurmgateway.launch.RunSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class PipesBootstrapTest {

    private static final UUID RUN = UUID.fromString("6f1c2b9e-1d7a-4f57-9a33-1c0e4b9a0d21");
    private final JsonMapper json = JsonMapper.builder().build();
    private final PipesBootstrap bootstrap = new PipesBootstrap(json);

    @Test
    void aRunWithoutAPipesContextGetsNeitherVariable() {
        assertThat(bootstrap.environment(RUN, spec(null), "/w/run")).isEmpty();
        assertThat(bootstrap.environment(RUN, spec(new RunSpec.Dagster("d-1", "step", null)), "/w/run"))
                .isEmpty();
    }

    @Test
    void thePartialContextIsCompletedAndTheClientsValuesWin() {
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("partition_key", "2026-11-28");
        given.put("extras", Map.of("k", "v"));
        Map<String, String> environment =
                bootstrap.environment(RUN, spec(new RunSpec.Dagster("dagster-run-7", "step", given)), "/w/run");

        JsonNode data = json.readTree(PipesEncoding.decode(environment.get("DAGSTER_PIPES_CONTEXT")))
                .get("data");
        assertThat(data.get("partition_key").asString()).isEqualTo("2026-11-28");
        assertThat(data.get("extras").get("k").asString()).isEqualTo("v");
        assertThat(data.get("run_id").asString()).isEqualTo("dagster-run-7");
        assertThat(data.get("asset_keys").get(0).asString()).isEqualTo("analytics/orders");
        assertThat(data.get("retry_number").asInt()).isZero();
        for (String field : List.of(
                "code_version_by_asset_key",
                "provenance_by_asset_key",
                "partition_key_range",
                "partition_time_window",
                "job_name")) {
            assertThat(data.has(field)).as(field).isTrue();
            assertThat(data.get(field).isNull()).as(field).isTrue();
        }

        JsonNode messages = json.readTree(PipesEncoding.decode(environment.get("DAGSTER_PIPES_MESSAGES")));
        assertThat(messages.get("path").asString()).isEqualTo("/w/run/messages.jsonl");
        assertThat(messages.get("include_stdio_in_messages").asBoolean()).isFalse();
    }

    @Test
    void withoutADagsterRunIdTheGatewaysRunIdIsUsed() {
        Map<String, String> environment =
                bootstrap.environment(RUN, spec(new RunSpec.Dagster(null, null, Map.of())), "/w/run");
        JsonNode data = json.readTree(PipesEncoding.decode(environment.get("DAGSTER_PIPES_CONTEXT")))
                .get("data");
        assertThat(data.get("run_id").asString()).isEqualTo(RUN.toString());
    }

    private static RunSpec spec(RunSpec.Dagster dagster) {
        return new RunSpec(
                "analytics/orders",
                "local",
                null,
                "bash",
                null,
                new RunSpec.Payload("true", null),
                null,
                null,
                null,
                dagster);
    }
}
