package io.slurmgateway.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Helm chart, linted and rendered by Helm's own library (helm-java, no helm binary): with its default values, with
 * the two examples of the docs, and with every optional part on; and refused where an install would be unsafe.
 */
@SuppressWarnings("unchecked")
class HelmChartTest {

    static final Path CHART = Path.of("helm/slurm-gateway");
    private static final Path EXAMPLES = Path.of("helm/examples");
    private static final Path EVERYTHING_ON = Path.of("src/test/resources/helm/everything-on.yaml");

    @Test
    void theChartLintsWithoutWarnings() {
        LintResult lint = new Helm(CHART).lint().strict().call();

        assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
    }

    @Test
    void theDefaultsInstallOneNonRootReadOnlyReplicaOnH2ThatWaitsForItsTokens() throws Exception {
        Rendered rendered = render(UnaryOperator.identity());

        Map<String, Object> statefulSet = rendered.one("StatefulSet");
        assertThat(at(statefulSet, "spec.replicas")).isEqualTo(1);
        Map<String, Object> pod = mapAt(statefulSet, "spec.template.spec");
        assertThat(at(pod, "securityContext.runAsNonRoot")).isEqualTo(true);
        assertThat(at(pod, "securityContext.runAsUser")).isEqualTo(10001);
        assertThat(at(pod, "automountServiceAccountToken")).isEqualTo(false);
        Map<String, Object> gateway = container(pod, "gateway");
        assertThat(at(gateway, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(at(gateway, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
        assertThat(at(gateway, "securityContext.capabilities.drop")).isEqualTo(List.of("ALL"));
        assertThat(at(gateway, "startupProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        assertThat(at(gateway, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        assertThat(at(gateway, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
        assertThat(at(gateway, "resources.limits.memory")).isEqualTo("1536Mi");
        assertThat(env(gateway, "GATEWAY_EXECUTION_INSTANCE_ID"))
                .isEqualTo(Map.of("valueFrom", Map.of("fieldRef", Map.of("fieldPath", "metadata.name"))));
        assertThat(mounts(gateway)).containsEntry("data", "/app/data").containsEntry("tmp", "/tmp");
        assertThat((List<Object>) at(statefulSet, "spec.volumeClaimTemplates")).hasSize(1);
        assertThat(pod).doesNotContainKey("initContainers"); // no cluster, no key to copy
        assertThat(rendered.kinds()).contains("Service", "ConfigMap", "PodDisruptionBudget", "ServiceAccount");
        assertThat(rendered.kinds())
                .doesNotContain("Ingress", "NetworkPolicy", "ServiceMonitor", "PrometheusRule")
                .containsOnlyOnce("ConfigMap");

        // no authentication configured: the pods read their tokens from a Secret the operator must create first
        assertThat(rendered.kinds()).doesNotContain("Secret");
        assertThat(volume(pod, "auth-operator"))
                .isEqualTo(Map.of("secretName", "gw-slurm-gateway-tokens", "defaultMode", 0440));
        assertThat(mounts(gateway))
                .containsEntry("auth-operator", "/etc/slurm-gateway/properties/operator")
                .doesNotContainKey("auth");
        assertThat(env(gateway, "SPRING_CONFIG_IMPORT"))
                .isEqualTo(Map.of("value", "optional:configtree:/etc/slurm-gateway/properties/*/"));
    }

    @Test
    void twoReplicasShareThePostgresDatabaseWithThePasswordFromASecret() throws Exception {
        Rendered rendered = render(t -> t.withValuesFile(EXAMPLES.resolve("two-replicas-postgres.yaml")));

        Map<String, Object> statefulSet = rendered.one("StatefulSet");
        assertThat(at(statefulSet, "spec.replicas")).isEqualTo(2);
        Map<String, Object> pod = mapAt(statefulSet, "spec.template.spec");
        Map<String, Object> gateway = container(pod, "gateway");
        assertThat(env(gateway, "SPRING_PROFILES_ACTIVE")).isEqualTo(Map.of("value", "postgres"));
        assertThat(env(gateway, "GATEWAY_DB_URL"))
                .isEqualTo(Map.of("value", "jdbc:postgresql://postgres.db.svc:5432/slurm_gateway"));
        assertThat(env(gateway, "GATEWAY_DB_PASSWORD"))
                .isEqualTo(
                        Map.of("valueFrom", Map.of("secretKeyRef", Map.of("name", "gateway-db", "key", "password"))));
        // the operator's token Secret is read as a config tree; the chart makes no token of its own
        assertThat(volume(pod, "auth-operator")).isEqualTo(Map.of("secretName", "gateway-tokens", "defaultMode", 0440));
        assertThat(rendered.kinds()).doesNotContain("Secret");
        assertThat(mapAt(statefulSet, "spec")).doesNotContainKey("volumeClaimTemplates");

        Map<String, Object> hpc = clusterConfig(rendered, "hpc");
        assertThat(hpc)
                .containsEntry("host", "login.hpc.example.org")
                .containsEntry("port", 22)
                .containsEntry("user", "svc-dagster")
                .containsEntry("private-key", "/var/run/slurm-gateway/ssh/hpc/private-key")
                .containsEntry("host-key-fingerprint", "SHA256:2pvIyZkR1cYGiY0zx6kZfJ2Xo0cQdV8j8v0n8qX6n8E")
                .doesNotContainKey("known-hosts");
        assertThat(application(rendered))
                .extractingByKey("gateway")
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .extractingByKey("runs")
                .isEqualTo(Map.of("default-mode", "slurm", "local-mode-enabled", false));
    }

    @Test
    void aClustersKeyIsCopiedToMemoryWithModeFourHundredAndItsKnownHostsMounted() throws Exception {
        Rendered rendered = render(t -> t.withValuesFile(EXAMPLES.resolve("one-cluster.yaml")));

        Map<String, Object> pod = mapAt(rendered.one("StatefulSet"), "spec.template.spec");
        Map<String, Object> init = container(at(pod, "initContainers"), "ssh-keys");
        assertThat(String.join("\n", (List<String>) at(init, "command")))
                .contains("install -m 0400")
                .doesNotContain("hpc");
        assertThat(at(init, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(volume(pod, "ssh-keys")).isEqualTo(Map.of("medium", "Memory", "sizeLimit", "1Mi"));
        Map<String, Object> projected = volume(pod, "ssh-secrets");
        assertThat(projected.get("defaultMode")).isEqualTo(0440);
        assertThat(projected.get("sources"))
                .isEqualTo(List.of(Map.of(
                        "secret",
                        Map.of(
                                "name",
                                "hpc-ssh",
                                "items",
                                List.of(
                                        Map.of("key", "id_ed25519", "path", "hpc/private-key"),
                                        Map.of("key", "known_hosts", "path", "hpc/known_hosts"))))));
        assertThat(mounts(container(pod, "gateway")))
                .containsEntry("ssh-keys", "/var/run/slurm-gateway/ssh")
                .containsEntry("ssh-secrets", "/etc/slurm-gateway/ssh-secrets");
        assertThat(clusterConfig(rendered, "hpc"))
                .containsEntry("private-key", "/var/run/slurm-gateway/ssh/hpc/private-key")
                .containsEntry("known-hosts", "/etc/slurm-gateway/ssh-secrets/hpc/known_hosts")
                .containsEntry("default-partition", "batch");
        Map<String, Object> auth = rendered.named("Secret", "-auth");
        assertThat(decoded(auth, "gateway.security.tokens.dagster.roles")).isEqualTo("submitter");
        assertThat(decoded(auth, "gateway.security.tokens.ops.sha256")).hasSize(64);
        assertThat(mounts(container(pod, "gateway"))).doesNotContainKey("auth-operator");
    }

    @Test
    void everyOptionalPartRendersFromTheFilesTheRestOfTheProjectUses() throws Exception {
        Rendered rendered = render(t -> t.withValuesFile(EVERYTHING_ON));

        assertThat(rendered.kinds())
                .contains("Ingress", "NetworkPolicy", "ServiceMonitor", "PrometheusRule", "PodDisruptionBudget");
        Map<String, Object> ingress = rendered.one("Ingress");
        assertThat(at(ingress, "spec.ingressClassName")).isEqualTo("nginx");
        assertThat((List<Object>) at(ingress, "spec.rules")).hasSize(1);
        Map<String, Object> policy = rendered.one("NetworkPolicy");
        assertThat(at(policy, "spec.policyTypes")).isEqualTo(List.of("Ingress", "Egress"));
        assertThat((List<Object>) at(policy, "spec.egress")).hasSize(2);
        Map<String, Object> endpoint =
                ((List<Map<String, Object>>) at(rendered.one("ServiceMonitor"), "spec.endpoints")).get(0);
        // the ServiceMonitor picks the client Service, not the headless one too (each pod would be scraped twice)
        Map<String, Object> selector = mapAt(rendered.one("ServiceMonitor"), "spec.selector");
        List<Map<String, Object>> services = rendered.documents().stream()
                .filter(d -> "Service".equals(d.get("kind")))
                .toList();
        assertThat(services).hasSize(2);
        assertThat(services.stream().filter(service -> selects(selector, mapAt(service, "metadata.labels"))))
                .singleElement()
                .satisfies(service -> assertThat(at(service, "metadata.name")).isEqualTo("gw-slurm-gateway"));
        assertThat(endpoint)
                .containsEntry("path", "/actuator/prometheus")
                .containsEntry("bearerTokenSecret", Map.of("name", "gateway-metrics", "key", "token"));

        // the alert rules and the dashboard are deploy/'s files, not copies that could drift
        Map<String, Object> rules =
                new Yaml().load(Files.readString(Path.of("deploy/prometheus/slurm-gateway-alerts.yml")));
        assertThat(rendered.one("PrometheusRule").get("spec")).isEqualTo(rules);
        Map<String, Object> dashboard = rendered.named("ConfigMap", "-dashboard");
        assertThat(at(dashboard, "metadata.labels.grafana_dashboard")).isEqualTo("1");
        assertThat(at(dashboard, "data.slurm-gateway.json").toString().strip())
                .isEqualTo(Files.readString(Path.of("deploy/grafana/slurm-gateway.json"))
                        .strip());

        Map<String, Object> pod = mapAt(rendered.one("StatefulSet"), "spec.template.spec");
        Map<String, Object> gateway = container(pod, "gateway");
        assertThat(env(gateway, "SPRING_PROFILES_ACTIVE")).isEqualTo(Map.of("value", "postgres,json-logs"));
        assertThat(mounts(gateway))
                .containsEntry("auth", "/etc/slurm-gateway/properties/chart")
                .containsEntry("auth-operator", "/etc/slurm-gateway/properties/operator");
        assertThat(clusterConfig(rendered, "hpc"))
                .containsEntry("private-key-passphrase-file", "/var/run/slurm-gateway/ssh/hpc/passphrase")
                .containsEntry("pool-size", 4);
        assertThat(clusterConfig(rendered, "gpu-2")).containsEntry("port", 2222).doesNotContainKey("known-hosts");
        Map<String, Object> oidc = mapAt(application(rendered), "gateway.security.oidc");
        assertThat(oidc).containsEntry("issuer-uri", "https://login.example.org/realms/hpc");
        // the init container's shell text is the same whatever the values: no value is spliced into it
        Rendered oneCluster = render(t -> t.withValuesFile(EXAMPLES.resolve("one-cluster.yaml")));
        assertThat(at(container(at(pod, "initContainers"), "ssh-keys"), "command")
                        .toString())
                .isEqualTo(at(
                                container(
                                        at(at(oneCluster.one("StatefulSet"), "spec.template.spec"), "initContainers"),
                                        "ssh-keys"),
                                "command")
                        .toString());
    }

    @Test
    void noRenderingCarriesASecretInPlainText() throws Exception {
        Map<String, Path> inputs = Map.of(
                "defaults", Path.of("helm/slurm-gateway/values.yaml"),
                "one cluster", EXAMPLES.resolve("one-cluster.yaml"),
                "two replicas", EXAMPLES.resolve("two-replicas-postgres.yaml"),
                "everything on", EVERYTHING_ON);
        for (Map.Entry<String, Path> input : inputs.entrySet()) {
            Rendered rendered = render(t -> t.withValuesFile(input.getValue()));
            // every token digest the values give ends up in a Secret, and nowhere else
            java.util.regex.Matcher digest = java.util.regex.Pattern.compile("sha256: ([0-9a-f]{64})")
                    .matcher(Files.readString(input.getValue()));
            List<String> digests = new ArrayList<>();
            while (digest.find()) {
                digests.add(digest.group(1));
            }
            for (Map<String, Object> document : rendered.documents()) {
                assertThat(document).as(input.getKey()).doesNotContainKey("stringData");
                if (!"Secret".equals(document.get("kind"))) {
                    String text = new Yaml().dump(document).replaceAll("\\s+", "");
                    digests.forEach(d -> assertThat(text).as(input.getKey()).doesNotContain(d));
                }
            }
            Map<String, Object> gatewayConfig =
                    (Map<String, Object>) application(rendered).getOrDefault("gateway", Map.of());
            assertThat((Map<String, Object>) gatewayConfig.getOrDefault("security", Map.of()))
                    .as(input.getKey())
                    .doesNotContainKey("tokens");
            Map<String, Object> pod = mapAt(rendered.one("StatefulSet"), "spec.template.spec");
            for (Map<String, Object> variable :
                    (List<Map<String, Object>>) container(pod, "gateway").get("env")) {
                String name = variable.get("name").toString();
                if (name.contains("PASSWORD") || name.contains("TOKEN") || name.contains("SECRET")) {
                    assertThat(variable).as(name).doesNotContainKey("value");
                }
            }
        }
    }

    @Test
    void aChangedConfigurationOrTokenListRestartsThePods() {
        Path example = EXAMPLES.resolve("one-cluster.yaml");
        Map<String, Object> before = podAnnotations(render(t -> t.withValuesFile(example)));
        Map<String, Object> roles =
                podAnnotations(render(t -> t.withValuesFile(example).set("auth.tokens.ops.roles", "reader")));
        Map<String, Object> partition = podAnnotations(
                render(t -> t.withValuesFile(example).set("clusters.hpc.config.default-partition", "long")));

        assertThat(roles.get("checksum/auth")).isNotEqualTo(before.get("checksum/auth"));
        assertThat(roles.get("checksum/config")).isEqualTo(before.get("checksum/config"));
        assertThat(partition.get("checksum/config")).isNotEqualTo(before.get("checksum/config"));
    }

    private static Map<String, Object> podAnnotations(Rendered rendered) {
        return mapAt(rendered.one("StatefulSet"), "spec.template.metadata.annotations");
    }

    @Test
    void unsafeOrImpossibleInstallsAreRefusedWithTheValueNamed() {
        assertThatThrownBy(() -> render(t -> t.set("replicaCount", 2)))
                .hasMessageContaining("more than one replica needs a shared PostgreSQL database");
        assertThatThrownBy(() -> render(t -> t.set("replicaCount", 2)
                        .set("database.type", "postgresql")
                        .set("database.url", "jdbc:postgresql://pg/db")))
                .hasMessageContaining("database.existingSecret is required");
        assertThatThrownBy(() -> render(t -> t.set("database.password", "hunter2")))
                .hasMessageContaining("database.password is not read");
        assertThatThrownBy(() -> render(t -> t.set("auth.tokens.ci.sha256", "sgw_C2LE4-n1z6q28sqBYcwE0wLkOg")))
                .hasMessageContaining("auth.tokens.ci.sha256 must be a lower-case hex SHA-256 digest");
        assertThatThrownBy(() -> render(t -> t.set("clusters.hpc.host", "login")
                        .set("clusters.hpc.user", "u")
                        .set("clusters.hpc.sshSecret", "s")))
                .hasMessageContaining("clusters.hpc: the login node's host key must be verified");
        assertThatThrownBy(() -> render(t -> t.set("config.spring.datasource.password", "hunter2")))
                .hasMessageContaining("config.spring.datasource.password is not read");
        assertThatThrownBy(() -> render(t -> t.set("config.gateway.security.tokens.ops.sha256", "0".repeat(64))))
                .hasMessageContaining("would put token digests in the ConfigMap");
        assertThatThrownBy(() -> render(t -> t.set("auth.tokens.ci\\.bot.sha256", "0".repeat(64))))
                .hasMessageContaining("\"ci.bot\" is not a token name the chart can carry");
        assertThatThrownBy(() -> render(t -> t.set("clusters.HPC.host", "login")))
                .hasMessageContaining("\"HPC\" is not a cluster name");
    }

    // --- rendering and reading manifests

    record Rendered(List<Map<String, Object>> documents) {

        List<String> kinds() {
            return documents.stream().map(d -> d.get("kind").toString()).toList();
        }

        Map<String, Object> one(String kind) {
            List<Map<String, Object>> found =
                    documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
            assertThat(found).as("manifests of kind %s", kind).hasSize(1);
            return found.get(0);
        }

        Map<String, Object> named(String kind, String suffix) {
            return documents.stream()
                    .filter(d -> kind.equals(d.get("kind"))
                            && at(d, "metadata.name").toString().endsWith(suffix))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + kind + " named *" + suffix + " in " + kinds()));
        }
    }

    static Rendered render(UnaryOperator<TemplateCommand> values) {
        String manifests =
                values.apply(new Helm(CHART).template().withName("gw")).call();
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml().loadAll(manifests)) {
            if (document != null) {
                documents.add((Map<String, Object>) document);
            }
        }
        return new Rendered(documents);
    }

    private static Map<String, Object> application(Rendered rendered) {
        Map<String, Object> application = new Yaml()
                .load(at(rendered.named("ConfigMap", "slurm-gateway"), "data.application.yml")
                        .toString());
        return application == null ? Map.of() : application;
    }

    private static Map<String, Object> clusterConfig(Rendered rendered, String cluster) {
        return mapAt(application(rendered), "gateway.clusters." + cluster);
    }

    /** A value at a dotted path; a key that holds dots itself (a ConfigMap's file name) is matched whole first. */
    static Object at(Object node, String path) {
        Object current = node;
        String rest = path;
        while (!rest.isEmpty()) {
            Map<String, Object> map = (Map<String, Object>) current;
            if (map.containsKey(rest)) {
                return map.get(rest);
            }
            int dot = rest.indexOf('.');
            String key = dot < 0 ? rest : rest.substring(0, dot);
            assertThat(map).as("%s in %s", key, path).containsKey(key);
            current = map.get(key);
            rest = dot < 0 ? "" : rest.substring(dot + 1);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> mapAt(Object node, String path) {
        return (Map<String, Object>) at(node, path);
    }

    private static Map<String, Object> container(Object containers, String name) {
        Object list = containers instanceof Map<?, ?> pod ? pod.get("containers") : containers;
        return byName(list, name, "container");
    }

    /** An environment variable's definition without its name: {@code value} or {@code valueFrom}. */
    private static Map<String, Object> env(Map<String, Object> container, String name) {
        Map<String, Object> rest =
                new java.util.LinkedHashMap<>(byName(container.get("env"), name, "environment variable"));
        rest.remove("name");
        return rest;
    }

    private static Map<String, String> mounts(Map<String, Object> container) {
        Map<String, String> mounts = new java.util.LinkedHashMap<>();
        for (Map<String, Object> mount : (List<Map<String, Object>>) container.get("volumeMounts")) {
            mounts.put(mount.get("name").toString(), mount.get("mountPath").toString());
        }
        return mounts;
    }

    /** A volume's source (its one key besides {@code name}: configMap, secret, projected, emptyDir). */
    private static Map<String, Object> volume(Map<String, Object> pod, String name) {
        return byName(pod.get("volumes"), name, "volume").entrySet().stream()
                .filter(e -> !e.getKey().equals("name"))
                .map(e -> (Map<String, Object>) e.getValue())
                .findFirst()
                .orElseThrow();
    }

    /** The entry named {@code name} of a Kubernetes list of named entries (containers, env, volumes). */
    private static Map<String, Object> byName(Object list, String name, String what) {
        return ((List<Map<String, Object>>) list)
                .stream()
                        .filter(entry -> name.equals(entry.get("name")))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no " + what + " " + name));
    }

    private static String decoded(Map<String, Object> secret, String key) {
        return new String(Base64.getDecoder().decode(at(secret, "data." + key).toString()), StandardCharsets.UTF_8);
    }

    /** Whether a label selector (matchLabels and NotIn/In expressions) selects these labels. */
    private static boolean selects(Map<String, Object> selector, Map<String, Object> labels) {
        Map<String, Object> matchLabels = (Map<String, Object>) selector.getOrDefault("matchLabels", Map.of());
        boolean matches =
                matchLabels.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
        for (Map<String, Object> expression :
                (List<Map<String, Object>>) selector.getOrDefault("matchExpressions", List.of())) {
            Object value = labels.get(expression.get("key").toString());
            boolean in = value != null && ((List<Object>) expression.get("values")).contains(value);
            matches &= switch (expression.get("operator").toString()) {
                case "In" -> in;
                case "NotIn" -> !in;
                default -> throw new IllegalArgumentException("operator " + expression.get("operator"));
            };
        }
        return matches;
    }
}
