package io.slurmgateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The PromQL of the shipped Grafana dashboard and Prometheus alert rules, and the metric names it queries. */
public final class MonitoringFiles {

    public static final Path DASHBOARD = Path.of("deploy/grafana/slurm-gateway.json");
    public static final Path ALERTS = Path.of("deploy/prometheus/slurm-gateway-alerts.yml");

    private static final Pattern METRIC = Pattern.compile("\\bgateway_[a-z_]+");

    private MonitoringFiles() {}

    /** Every PromQL expression: the dashboard's panel targets and variable queries, and the alert rules'. */
    public static List<String> expressions() {
        List<String> expressions = new ArrayList<>();
        JsonNode dashboard = JsonMapper.shared().readTree(read(DASHBOARD));
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                expressions.add(target.get("expr").asString());
            }
        }
        for (JsonNode variable : dashboard.get("templating").get("list")) {
            if (variable.get("type").asString().equals("query")) {
                expressions.add(variable.get("query").asString());
            }
        }
        Map<String, Object> alerts = new Yaml().load(read(ALERTS));
        for (Object group : (List<?>) alerts.get("groups")) {
            for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
                expressions.add(String.valueOf(((Map<?, ?>) rule).get("expr")));
            }
        }
        return expressions;
    }

    /** The gateway metric names the expressions query, as Prometheus names them. */
    public static Set<String> metricNames() {
        Set<String> names = new TreeSet<>();
        for (String expression : expressions()) {
            Matcher metric = METRIC.matcher(expression);
            while (metric.find()) {
                names.add(metric.group());
            }
        }
        return names;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }
}
