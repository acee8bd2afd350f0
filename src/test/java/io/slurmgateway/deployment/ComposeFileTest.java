package io.slurmgateway.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml, read as compose would read it (there is no Docker engine here to run it): its structure, the
 * files it and its images refer to, the services the docs name, and a gateway configuration that points at them.
 */
@SuppressWarnings("unchecked")
class ComposeFileTest {

    private static final Path COMPOSE = Path.of("docker-compose.yml");
    private static Map<String, Object> compose;
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    static void read() throws IOException {
        compose = new Yaml().load(Files.readString(COMPOSE));
        services = (Map<String, Map<String, Object>>) compose.get("services");
    }

    @Test
    void theStackIsTheGatewayPostgresAndAClusterLaidOutLikeTheRig() {
        assertThat(services)
                .containsOnlyKeys(
                        "setup", "mariadb", "slurmdbd", "slurmctld", "c1", "c2", "login", "postgres", "gateway");
        Set<String> declaredVolumes = ((Map<String, Object>) compose.get("volumes")).keySet();
        services.forEach((name, service) -> {
            for (String dependency : ((Map<String, Object>) service.getOrDefault("depends_on", Map.of())).keySet()) {
                assertThat(services).as("%s depends on %s", name, dependency).containsKey(dependency);
            }
            for (String volume : volumes(service)) {
                String source = volume.split(":")[0];
                if (!source.startsWith(".") && !source.startsWith("/")) {
                    assertThat(declaredVolumes)
                            .as("volume %s of %s", source, name)
                            .contains(source);
                }
            }
        });
        // the nodes are the hosts slurm.conf names, as the rig's are
        assertThat(services.get("c1")).containsEntry("hostname", "c1");
        assertThat(services.get("c2")).containsEntry("hostname", "c2");
    }

    @Test
    void everyFileTheStackAndItsImagesReferToExists() throws IOException {
        services.forEach((name, service) -> {
            for (String volume : volumes(service)) {
                String source = volume.split(":")[0];
                if (source.startsWith(".")) {
                    assertThat(Path.of(source)).as("bind mount of %s", name).isRegularFile();
                }
            }
        });
        for (Path context : List.of(Path.of("."), Path.of("deploy/compose/slurm"))) {
            Path dockerfile = context.resolve("Dockerfile");
            assertThat(dockerfile).isRegularFile();
            for (String copied : copiedSources(Files.readString(dockerfile))) {
                assertThat(context.resolve(copied))
                        .as("COPY %s in %s", copied, dockerfile)
                        .exists();
            }
        }
        Map<String, Object> gatewayBuild =
                (Map<String, Object>) services.get("gateway").get("build");
        assertThat(gatewayBuild).containsEntry("context", ".");
        assertThat(Path.of(".dockerignore")).isRegularFile();
    }

    @Test
    void everyServiceTheDocsNameIsThereAndEveryServiceIsDocumented() throws IOException {
        String docs = Files.readString(Path.of("docs/deployment.md"));
        String section = docs.substring(docs.indexOf("## docker compose"));
        Set<String> documented = new LinkedHashSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `([a-z0-9-]+)` \\|").matcher(section);
        while (row.find()) {
            documented.add(row.group(1));
        }
        assertThat(documented).containsExactlyInAnyOrderElementsOf(services.keySet());
        Matcher named = Pattern.compile("docker compose (?:exec|run --rm|logs) ([a-z0-9-]+)")
                .matcher(docs);
        while (named.find()) {
            assertThat(services).as("docs/deployment.md: %s", named.group()).containsKey(named.group(1));
        }
        assertThat(Files.readString(Path.of("README.md"))).contains("docker compose up");
    }

    @Test
    void theGatewayIsHardenedAndConfiguredForTheComposeServices() throws IOException {
        Map<String, Object> gateway = services.get("gateway");
        assertThat(gateway)
                .containsEntry("user", "10001:10001")
                .containsEntry("read_only", true)
                .containsEntry("cap_drop", List.of("ALL"));
        assertThat((List<String>) gateway.get("ports")).allMatch(port -> port.startsWith("127.0.0.1:"));
        Map<String, Object> environment = (Map<String, Object>) gateway.get("environment");
        assertThat(environment.keySet()).noneMatch(key -> key.contains("PASSWORD") || key.contains("TOKEN"));
        assertThat(environment.get("GATEWAY_DB_URL").toString()).contains("//postgres:5432/");
        assertThat(services.get("postgres").get("environment").toString()).contains("POSTGRES_PASSWORD_FILE");

        // the cluster it is given is the login node, with the key and the pinned host key setup generates
        Map<String, Object> application =
                new Yaml().load(Files.readString(Path.of("deploy/compose/gateway/application.yml")));
        Map<String, Object> rig = (Map<String, Object>)
                ((Map<String, Object>) ((Map<String, Object>) application.get("gateway")).get("clusters")).get("rig");
        assertThat(services.get(rig.get("host").toString())).containsEntry("hostname", "login");
        assertThat(rig)
                .containsEntry("port", 22)
                .containsEntry("user", "hpcuser")
                .doesNotContainKey("accept-any-host-key");
        String secretsMount = mountPoint(gateway, "gateway-secrets");
        String setupMount = mountPoint(services.get("setup"), "gateway-secrets");
        String entrypoint = Files.readString(Path.of("deploy/compose/slurm/entrypoint.sh"));
        for (String property : List.of("private-key", "known-hosts")) {
            String file = rig.get(property).toString();
            assertThat(file).startsWith(secretsMount + "/");
            assertThat(entrypoint).contains(setupMount + file.substring(secretsMount.length()));
        }
        assertThat(environment.get("SPRING_CONFIG_IMPORT").toString())
                .isEqualTo("optional:configtree:" + secretsMount + "/properties/");
        assertThat(entrypoint)
                .contains(setupMount + "/properties/spring.datasource.password")
                .contains(setupMount + "/properties/gateway.security.tokens.admin.sha256");
        assertThat(mountPoint(gateway, "./deploy/compose/gateway/application.yml"))
                .isEqualTo(environment
                                .get("SPRING_CONFIG_ADDITIONAL_LOCATION")
                                .toString()
                                .replace("file:", "") + "application.yml");
    }

    @Test
    void theClustersConfigurationNamesTheComposeHosts() throws IOException {
        String slurmConf = Files.readString(Path.of("deploy/compose/slurm/slurm.conf"));
        assertThat(hostOf(slurmConf, "SlurmctldHost"))
                .isEqualTo(services.get("slurmctld").get("hostname"));
        assertThat(hostOf(slurmConf, "AccountingStorageHost"))
                .isEqualTo(services.get("slurmdbd").get("hostname"));
        Matcher node = Pattern.compile("(?m)^NodeName=(\\S+)").matcher(slurmConf);
        List<String> nodes = new ArrayList<>();
        while (node.find()) {
            nodes.add(node.group(1));
            assertThat(services.get(node.group(1))).containsEntry("command", List.of("slurmd"));
        }
        assertThat(nodes).containsExactly("c1", "c2");
        String dbd = Files.readString(Path.of("deploy/compose/slurm/slurmdbd.conf.template"));
        assertThat(services).containsKey(hostOf(dbd, "StorageHost"));
        assertThat(dbd).doesNotContainPattern("(?m)^StoragePass"); // filled in from the generated password at start
    }

    private static String hostOf(String conf, String key) {
        Matcher matcher = Pattern.compile("(?m)^" + key + "=(\\S+)").matcher(conf);
        assertThat(matcher.find()).as(key).isTrue();
        return matcher.group(1);
    }

    private static List<String> volumes(Map<String, Object> service) {
        return (List<String>) service.getOrDefault("volumes", List.of());
    }

    private static String mountPoint(Map<String, Object> service, String source) {
        return volumes(service).stream()
                .filter(volume -> volume.split(":")[0].equals(source))
                .map(volume -> volume.split(":")[1])
                .findFirst()
                .orElseThrow(() -> new AssertionError("no mount of " + source + " in " + service));
    }

    /** The sources of a Dockerfile's COPY instructions that read the build context (not another stage). */
    private static List<String> copiedSources(String dockerfile) {
        List<String> sources = new ArrayList<>();
        Matcher copy = Pattern.compile("(?m)^COPY (?!--from)(.+)$").matcher(dockerfile);
        while (copy.find()) {
            List<String> words = List.of(copy.group(1).trim().split("\\s+"));
            sources.addAll(words.subList(0, words.size() - 1));
        }
        return sources;
    }
}
