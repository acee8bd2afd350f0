package io.slurmgateway.pipes;

import io.slurmgateway.launch.RunSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two environment variables that make a job a Dagster Pipes process, for runs that carry a
 * {@code dagster.pipesContext}: {@code DAGSTER_PIPES_CONTEXT} holds the context inline, {@code DAGSTER_PIPES_MESSAGES}
 * names {@code messages.jsonl} in the run's directory, where the job appends its messages.
 *
 * <p>The gateway copies the job's stdout and stderr itself, so {@code include_stdio_in_messages} is false: output is
 * never relayed twice.
 */
@Component
public class PipesBootstrap {

    public static final String CONTEXT_VARIABLE = "DAGSTER_PIPES_CONTEXT";
    public static final String MESSAGES_VARIABLE = "DAGSTER_PIPES_MESSAGES";

    /** The messages file's name in the run's directory. */
    public static final String MESSAGES_FILE = "messages.jsonl";

    private final JsonMapper json;

    PipesBootstrap(JsonMapper json) {
        this.json = json;
    }

    /** The variables for a run; empty when it carries no Pipes context. */
    public Map<String, String> environment(UUID runId, RunSpec spec, String runDirectory) {
        if (spec.dagster() == null || spec.dagster().pipesContext() == null) {
            return Map.of();
        }
        Map<String, Object> context = completed(runId, spec);
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put("path", runDirectory + "/" + MESSAGES_FILE);
        messages.put("include_stdio_in_messages", false);
        return Map.of(
                CONTEXT_VARIABLE, PipesEncoding.encode(json.writeValueAsString(Map.of("data", context))),
                MESSAGES_VARIABLE, PipesEncoding.encode(json.writeValueAsString(messages)));
    }

    /**
     * The client's context with every field of PipesContextData present: the Python reader indexes them directly. The
     * client's values win; missing ones come from the run (its asset key and ids) or are the protocol's empty values.
     */
    private static Map<String, Object> completed(UUID runId, RunSpec spec) {
        Map<String, Object> context = new LinkedHashMap<>(spec.dagster().pipesContext());
        context.putIfAbsent("asset_keys", List.of(spec.asset()));
        context.putIfAbsent("code_version_by_asset_key", null);
        context.putIfAbsent("provenance_by_asset_key", null);
        context.putIfAbsent("partition_key", null);
        context.putIfAbsent("partition_key_range", null);
        context.putIfAbsent("partition_time_window", null);
        context.putIfAbsent(
                "run_id", spec.dagster().runId() != null ? spec.dagster().runId() : runId.toString());
        context.putIfAbsent("job_name", null);
        context.putIfAbsent("retry_number", 0);
        context.putIfAbsent("extras", Map.of());
        return context;
    }
}
