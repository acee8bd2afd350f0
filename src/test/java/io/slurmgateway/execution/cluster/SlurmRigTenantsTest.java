package io.slurmgateway.execution.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slurmgateway.support.GatewayClient;
import io.slurmgateway.support.GatewayTestBase;
import io.slurmgateway.support.SlurmRigAvailable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Two tenants on the real rig, each with its own cluster identity: alice's runs execute as the rig's first account,
 * bob's as its second (another Unix user with its own key and a home only it can enter). Shown with Slurm's own
 * accounting ({@code sacct -o User}), and by a job of alice that tries to read, rewrite and cancel what belongs to bob
 * and is refused by the operating system and by Slurm, while bob's run reads its logs and is cancelled through bob's
 * own account.
 */
@ExtendWith(SlurmRigAvailable.class)
class SlurmRigTenantsTest extends GatewayTestBase {

    private static final String WORK_DIR = "slurm-gateway-test/" + UUID.randomUUID();
    private static final Map<String, String> TOKENS = new java.util.HashMap<>();

    private GatewayClient alice;
    private GatewayClient bob;
    private GatewayClient admin;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        isolate(registry, "slurm-rig-tenants");
        Properties rig = SlurmRigAvailable.properties();
        String cluster = "gateway.clusters.rig.";
        for (String key : List.of("host", "port", "known-hosts", "default-partition")) {
            registry.add(cluster + key, () -> rig.getProperty(cluster + key));
        }
        registry.add(cluster + "poll-interval", () -> "300ms");
        registry.add(cluster + "work-dir", () -> WORK_DIR);
        // no user of the cluster's own: every run executes as a tenant identity
        registry.add(cluster + "identities.team-a.user", () -> rig.getProperty(cluster + "user"));
        registry.add(cluster + "identities.team-a.private-key", () -> rig.getProperty(cluster + "private-key"));
        registry.add(cluster + "identities.team-a.principals", () -> "alice");
        registry.add(cluster + "identities.team-b.user", () -> rig.getProperty("rig.tenant.user"));
        registry.add(cluster + "identities.team-b.private-key", () -> rig.getProperty("rig.tenant.private-key"));
        registry.add(cluster + "identities.team-b.principals", () -> "bob");
        token(registry, "alice", "submitter");
        token(registry, "bob", "submitter");
        token(registry, "admin", "admin");
    }

    private static void token(DynamicPropertyRegistry registry, String name, String roles) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        TOKENS.put(name, token);
        registry.add("gateway.security.tokens." + name + ".sha256", () -> sha256(token));
        registry.add("gateway.security.tokens." + name + ".roles", () -> roles);
    }

    @BeforeEach
    void clients() {
        alice = client.withToken(TOKENS.get("alice"));
        bob = client.withToken(TOKENS.get("bob"));
        admin = client.withToken(TOKENS.get("admin"));
    }

    @Test
    void eachTenantRunsAsItsOwnUserAndCannotTouchTheOthersRun() throws Exception {
        Properties rig = SlurmRigAvailable.properties();
        String userA = rig.getProperty("gateway.clusters.rig.user");
        String userB = rig.getProperty("rig.tenant.user");

        String runB = bob.createRun(run("pwd; echo started; sleep 300"));
        JsonNode runningB = bob.awaitState(runB, "RUNNING", Duration.ofSeconds(120));
        assertThat(runningB.get("clusterIdentity").asString()).isEqualTo("team-b");
        String jobB = runningB.get("slurmJobId").asString();
        Path directoryB = home(userB).resolve(WORK_DIR).resolve(runB);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> bob.log(runB, "stdout").contains("started"));
        assertThat(bob.log(runB, "stdout"))
                .as("bob's log, in a home only bob can enter, was read through bob's account")
                .startsWith(directoryB + "\n");

        String attack = String.join(
                "; ",
                "ls " + directoryB + " && echo LISTED",
                "cat " + directoryB.resolve("payload") + " && echo READ",
                "echo 'echo forged' >> " + directoryB.resolve("job.sh") + " && echo WROTE",
                "echo '{}' >> " + directoryB.resolve("messages.jsonl") + " && echo FORGED",
                "scancel " + jobB + " && echo CANCELLED",
                "scancel --user " + userB + " && echo CANCELLED_ALL",
                "echo finished");
        String runA = alice.createRun(run(attack));
        JsonNode completedA = alice.awaitState(runA, "COMPLETED", Duration.ofSeconds(120));
        assertThat(completedA.get("clusterIdentity").asString()).isEqualTo("team-a");
        String stdoutA = alice.log(runA, "stdout");
        assertThat(stdoutA).contains("finished").doesNotContain("LISTED", "READ", "WROTE", "FORGED", "CANCELLED");
        assertThat(alice.log(runA, "stderr")).contains("Permission denied");

        assertThat(slurmUser(completedA.get("slurmJobId").asString())).isEqualTo(userA);
        assertThat(slurmUser(jobB)).isEqualTo(userB);
        assertThat(bob.run(runB).get("state").asString()).isEqualTo("RUNNING");
        assertThat(alice.get("/api/v1/runs/" + runB).statusCode())
                .as("alice does not see bob's run")
                .isEqualTo(404);

        JsonNode identities = admin.json(admin.get("/api/v1/clusters")).get(0).get("identities");
        assertThat(identities.findValuesAsString("user")).containsExactly(userA, userB);
        assertThat(identities.findValuesAsString("health")).containsOnly("UP");

        assertThat(bob.post("/api/v1/runs/" + runB + "/cancel", "", Map.of()).statusCode())
                .isEqualTo(202);
        bob.awaitState(runB, "CANCELLED", Duration.ofSeconds(60)); // scancel as bob: as alice it would be refused
    }

    private static String run(String script) {
        return "{\"asset\": \"rig/tenants\", \"mode\": \"slurm\", \"payload\": {\"script\": "
                + new tools.jackson.databind.json.JsonMapper().writeValueAsString(script)
                + "}, \"resources\": {\"timeLimit\": \"5\"}}";
    }

    /** Who Slurm's accounting says ran the job; the rig's controller is this machine. */
    private static String slurmUser(String jobId) throws IOException, InterruptedException {
        Process sacct = new ProcessBuilder("sacct", "-n", "-P", "-X", "-o", "User", "-j", jobId)
                .redirectErrorStream(true)
                .start();
        String user = new String(sacct.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(sacct.waitFor()).as(user).isZero();
        return user;
    }

    /** A cluster account's home: the rig's login node is this machine. */
    private static Path home(String user) throws IOException, InterruptedException {
        Process getent = new ProcessBuilder("getent", "passwd", user).start();
        String entry = new String(getent.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(getent.waitFor()).isZero();
        return Path.of(entry.split(":")[5]);
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
