package io.slurmgateway.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slurmgateway.support.GatewayTestBase;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Prometheus scrape after a mix of local runs: each run metric family is there with its tags, and no tag value
 * comes from what a client sent.
 */
class RunMetricsTest extends GatewayTestBase {

    /** Every tag key a gateway metric may have; {@code le} is Prometheus's histogram bucket bound. */
    private static final Set<String> ALLOWED_TAGS = Set.of(
            "state",
            "mode",
            "cluster",
            "from",
            "to",
            "launcher",
            "outcome",
            "command",
            "purpose",
            "scheduler",
            "step",
            "cache",
            "le");

    private static final Pattern SERIES = Pattern.compile("^(gateway_[a-z_]+)\\{([^}]*)\\}", Pattern.MULTILINE);
    private static final Pattern TAG = Pattern.compile("([a-z_]+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        isolate(registry, "run-metrics");
        registry.add("gateway.runs.metrics-refresh", () -> "200ms");
    }

    @Test
    void theScrapeHasEveryRunFamilyWithFixedTagsOnly() {
        String hostile = "x\"} 1\ninjected_metric{a=\"b";
        String completed = client.createRun(run("metrics/secret_asset_one", "echo fine", hostile));
        String failed = client.createRun(run("metrics/secret_asset_two", "exit 3", hostile));
        String cancelled = client.createRun(run("metrics/secret_asset_three", "sleep 60", hostile));
        client.awaitState(completed, "COMPLETED");
        client.awaitState(failed, "FAILED");
        client.awaitState(cancelled, "RUNNING");
        client.post("/api/v1/runs/" + cancelled + "/cancel", "", java.util.Map.of());
        client.awaitState(cancelled, "CANCELLED");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape())
                .contains("gateway_runs{cluster=\"none\",mode=\"local\",state=\"CANCELLED\"} 1.0"));
        String scrape = scrape();
        assertThat(scrape)
                .contains("gateway_runs{cluster=\"none\",mode=\"local\",state=\"COMPLETED\"} 1.0")
                .contains("gateway_runs{cluster=\"none\",mode=\"local\",state=\"FAILED\"} 1.0")
                .contains("gateway_runs_transitions_total{cluster=\"none\",from=\"RUNNING\",mode=\"local\","
                        + "to=\"COMPLETED\"} 1.0")
                .contains("gateway_runs_transitions_total{cluster=\"none\",from=\"NEW\",mode=\"local\","
                        + "to=\"ACCEPTED\"} 3.0")
                .contains("gateway_runs_queue_wait_seconds_count{cluster=\"none\",launcher=\"bash\",mode=\"local\"} 3")
                .contains("gateway_runs_queue_wait_seconds_bucket{cluster=\"none\",launcher=\"bash\",mode=\"local\","
                        + "le=\"1.0\"}")
                .contains("gateway_runs_duration_seconds_count{cluster=\"none\",launcher=\"bash\",mode=\"local\","
                        + "outcome=\"FAILED\"} 1")
                .contains("gateway_runs_duration_seconds_bucket{cluster=\"none\",launcher=\"bash\",mode=\"local\","
                        + "outcome=\"CANCELLED\",le=\"10.0\"}");
        assertThat(scrape).doesNotContain("secret_asset", "injected", completed, failed, cancelled);
        Set<String> tagKeys = new TreeSet<>();
        Matcher series = SERIES.matcher(scrape);
        while (series.find()) {
            Matcher tag = TAG.matcher(series.group(2));
            while (tag.find()) {
                tagKeys.add(tag.group(1));
            }
        }
        assertThat(tagKeys).isNotEmpty().isSubsetOf(ALLOWED_TAGS);
    }

    private String scrape() {
        return client.get("/actuator/prometheus").body();
    }

    private static String run(String asset, String script, String hostile) {
        return "{\"asset\": \"" + asset + "\", \"payload\": {\"script\": \"" + script + "\"}, \"env\": {\"HOSTILE\": \""
                + hostile.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"}}";
    }
}
