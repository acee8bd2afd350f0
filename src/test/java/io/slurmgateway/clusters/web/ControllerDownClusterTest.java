package io.slurmgateway.clusters.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.slurmgateway.host.ShellQuoting;
import io.slurmgateway.support.GatewayTestBase;
import io.slurmgateway.support.SlurmClientInstalled;
import io.slurmgateway.support.TestSshServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A login node that answers SSH while its Slurm controller does not: a real SSH server (Apache MINA SSHD) whose
 * commands see a slurm.conf naming a controller port nothing listens on, so the real sinfo fails to reach it. The
 * cluster is DEGRADED with sinfo's own message, and the gateway stays UP for everything else. Needs Slurm's client
 * commands on this machine; skips (saying so) without them.
 */
@ExtendWith(SlurmClientInstalled.class)
class ControllerDownClusterTest extends GatewayTestBase {

    private static TestSshServer loginNode;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        Path home = isolate(registry, "controller-down");
        Path slurmConf = Files.writeString(
                home.resolve("slurm.conf"),
                String.join(
                        "\n",
                        "ClusterName=nocontroller",
                        "SlurmctldHost=localhost",
                        "SlurmctldPort=" + closedPort(),
                        "MessageTimeout=1",
                        "TCPTimeout=1",
                        ""));
        Path clientKey = TestSshServer.clientKey(home);
        KeyPair hostKey = TestSshServer.newHostKey();
        loginNode = TestSshServer.start(
                0,
                hostKey,
                Path.of(clientKey + ".pub"),
                "SLURM_CONF=" + ShellQuoting.quote(slurmConf.toString()) + "; export SLURM_CONF; ");
        registry.add("gateway.clusters.nocontroller.host", () -> "127.0.0.1");
        registry.add("gateway.clusters.nocontroller.port", loginNode::port);
        registry.add("gateway.clusters.nocontroller.user", () -> System.getProperty("user.name"));
        registry.add("gateway.clusters.nocontroller.private-key", clientKey::toString);
        registry.add("gateway.clusters.nocontroller.known-hosts", () -> knownHosts(home, hostKey)
                .toString());
        registry.add("gateway.cluster-info-max-age", () -> "0s");
        registry.add("management.endpoint.health.show-details", () -> "always");
    }

    @AfterAll
    static void stopLoginNode() throws IOException {
        loginNode.close();
    }

    @Test
    void aClusterWhoseControllerDoesNotAnswerIsDegradedWithSinfosMessage() {
        JsonNode cluster = client.json(client.get("/api/v1/clusters")).get(0);
        assertThat(cluster.get("name").asString()).isEqualTo("nocontroller");
        assertThat(cluster.get("health").asString()).isEqualTo("UP"); // the SSH link
        assertThat(cluster.get("partitions").isNull()).isTrue();
        assertThat(cluster.get("lastError").asString())
                .isEqualTo("sinfo failed on cluster 'nocontroller': slurm_load_partitions: Unable to contact slurm"
                        + " controller (connect failure)");

        var health = client.get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode body = client.json(health);
        assertThat(body.get("status").asString()).isEqualTo("DEGRADED");
        JsonNode contributor = body.at("/components/clusters/components/nocontroller");
        assertThat(contributor.get("status").asString()).isEqualTo("DEGRADED");
        assertThat(contributor.at("/details/ssh").asString()).isEqualTo("UP");
        assertThat(contributor.at("/details/slurmController").asString())
                .isEqualTo(cluster.get("lastError").asString());
        assertThat(client.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    }

    private static Path knownHosts(Path home, KeyPair hostKey) {
        try {
            return TestSshServer.knownHosts(home, loginNode.port(), hostKey);
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort(); // free once closed: nothing listens there
        }
    }
}
