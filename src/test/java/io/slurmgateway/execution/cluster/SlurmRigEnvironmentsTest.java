package io.slurmgateway.execution.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.slurmgateway.SlurmGatewayApplication;
import io.slurmgateway.support.GatewayClient;
import io.slurmgateway.support.Packs;
import io.slurmgateway.support.SlurmRigAvailable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Environment packs and run files on the real rig: a pack crosses SSH once per cluster account and is unpacked once,
 * also when ten runs need it at the same moment, and a gateway started again on the same database finds it in the
 * cluster's cache; the dask launcher's workers on both nodes run in the pack's environment. Transfers and unpacks are
 * counted by the gateway's own metrics.
 */
@ExtendWith(SlurmRigAvailable.class)
class SlurmRigEnvironmentsTest {

    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(180);
    private static final String IMPORT =
            "#!/bin/bash\\nexec python3 -c 'import sg_rig_pack; print(\\\"value:\\\", sg_rig_pack.VALUE)'\\n";

    @TempDir
    Path home;

    private String databaseUrl;
    private String base;

    @BeforeEach
    void isolate() {
        databaseUrl = "jdbc:h2:file:" + home.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000";
        base = "slurm-gateway-test/" + UUID.randomUUID();
    }

    @Test
    void aPackCrossesSshOnceAndIsReusedByLaterRunsAndAfterARestart() {
        byte[] pack = Packs.pythonPack("sg_rig_pack", "first", Packs.ACTIVATE);
        try (ConfigurableApplicationContext first = gateway()) {
            GatewayClient client = clientOf(first);
            String digest = Packs.upload(port(first), pack);
            for (int i = 0; i < 2; i++) {
                String id = client.createRun(run(digest, IMPORT));
                JsonNode done = client.awaitState(id, "COMPLETED", JOB_TIMEOUT);
                assertThat(done.get("state").asString()).isEqualTo("COMPLETED");
                assertThat(client.log(id, "stdout")).contains("value: first");
            }
            assertThat(count(first, "gateway.cache.transfers")).isEqualTo(1);
            assertThat(count(first, "gateway.cache.transferred.bytes")).isEqualTo(pack.length);
            assertThat(count(first, "gateway.cache.unpacks")).isEqualTo(1);
        }
        try (ConfigurableApplicationContext second = gateway()) {
            GatewayClient client = clientOf(second);
            String id = client.createRun(run(Packs.digest(pack), IMPORT));
            client.awaitState(id, "COMPLETED", JOB_TIMEOUT);
            assertThat(client.log(id, "stdout")).contains("value: first");
            assertThat(count(second, "gateway.cache.transfers")).isZero();
            assertThat(count(second, "gateway.cache.unpacks")).isZero();
            JsonNode cache = client.json(client.get("/api/v1/clusters/rig/cache"));
            assertThat(cache.toString()).contains(Packs.digest(pack)).contains("\"kind\":\"pack\"");
        }
    }

    @Test
    void tenConcurrentFirstUsesOfOnePackTransferAndUnpackItOnce() throws Exception {
        byte[] pack = Packs.pythonPack("sg_rig_pack", "ten", Packs.ACTIVATE);
        try (ConfigurableApplicationContext gateway = gateway()) {
            GatewayClient client = clientOf(gateway);
            String digest = Packs.upload(port(gateway), pack);
            ExecutorService threads = Executors.newFixedThreadPool(10);
            List<Future<String>> created = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                created.add(threads.submit(() -> client.createRun(run(digest, IMPORT))));
            }
            threads.shutdown();
            for (Future<String> id : created) {
                client.awaitState(id.get(), "COMPLETED", JOB_TIMEOUT);
                assertThat(client.log(id.get(), "stdout")).contains("value: ten");
            }
            assertThat(count(gateway, "gateway.cache.transfers")).isEqualTo(1);
            assertThat(count(gateway, "gateway.cache.unpacks")).isEqualTo(1);
        }
    }

    @Test
    void filesArePlacedInTheRunDirectoryAndAPayloadPathNamesOne() {
        try (ConfigurableApplicationContext gateway = gateway()) {
            GatewayClient client = clientOf(gateway);
            String script = Packs.upload(port(gateway), "#!/bin/bash\ncat conf/settings.txt\n".getBytes());
            String settings = Packs.upload(port(gateway), "placed from the cache\n".getBytes());
            String id = client.createRun("{\"asset\": \"rig/files\", \"mode\": \"slurm\", \"cluster\": \"rig\","
                    + " \"payload\": {\"path\": \"bin/run.sh\"}, \"files\": {\"bin/run.sh\": \"" + script + "\","
                    + " \"conf/settings.txt\": \"" + settings + "\"}, \"resources\": {\"timeLimit\": \"2\"}}");
            client.awaitState(id, "COMPLETED", JOB_TIMEOUT);
            assertThat(client.log(id, "stdout")).isEqualTo("placed from the cache\n");
            assertThat(count(gateway, "gateway.cache.transfers")).isEqualTo(2);
        }
    }

    @Test
    void theDaskLauncherStartsItsWorkersOnBothNodesInThePacksEnvironment() {
        try (ConfigurableApplicationContext gateway = gateway()) {
            GatewayClient client = clientOf(gateway);
            String pack =
                    Packs.upload(port(gateway), Packs.pythonPack("sg_rig_dask", "on-the-workers", Packs.ACTIVATE));
            // the function runs in the workers' processes: it imports the package there, started by the launcher
            String payload = "import os\\nfrom distributed import Client\\n"
                    + "client = Client(os.environ['DASK_SCHEDULER_ADDRESS'])\\n"
                    + "client.wait_for_workers(2)\\n"
                    + "values = client.run(lambda: __import__('sg_rig_dask').VALUE)\\n"
                    + "print('workers', len(values), sorted(set(values.values())))\\n";
            String id = client.createRun("{\"asset\": \"rig/dask-environment\", \"mode\": \"slurm\", \"cluster\":"
                    + " \"rig\", \"launcher\": \"dask\", \"payload\": {\"script\": \"" + payload + "\"},"
                    + " \"environment\": {\"pack\": \"" + pack + "\"}, \"resources\": {\"nodes\": 2,"
                    + " \"cpusPerTask\": 1, \"memory\": \"500M\", \"timeLimit\": \"5\"}}");
            client.awaitState(id, "COMPLETED", JOB_TIMEOUT);
            assertThat(client.log(id, "stdout")).contains("workers 2 ['on-the-workers']");
        }
    }

    private static String run(String pack, String script) {
        return "{\"asset\": \"rig/environment\", \"mode\": \"slurm\", \"cluster\": \"rig\", \"payload\": {\"script\": \""
                + script + "\"}, \"environment\": {\"pack\": \"" + pack + "\"}, \"resources\": {\"timeLimit\": \"2\"}}";
    }

    private static double count(ConfigurableApplicationContext context, String meter) {
        return context.getBean(MeterRegistry.class).find(meter).tag("cache", "rig").counters().stream()
                .mapToDouble(counter -> counter.count())
                .sum();
    }

    private ConfigurableApplicationContext gateway() {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.url=" + databaseUrl,
                "--gateway.execution.work-dir=" + home.resolve("runs"),
                "--gateway.blobs.dir=" + home.resolve("blobs"),
                "--gateway.blobs.local-cache.dir=" + home.resolve("cache"),
                "--gateway.clusters.rig.poll-interval=300ms",
                "--gateway.clusters.rig.work-dir=" + base + "/runs",
                "--gateway.clusters.rig.cache.dir=" + base + "/cache"));
        SlurmRigAvailable.properties().forEach((key, value) -> {
            if (!key.equals("gateway.clusters.rig.work-dir")) {
                args.add("--" + key + "=" + value);
            }
        });
        return new SpringApplicationBuilder(SlurmGatewayApplication.class).run(args.toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    private static GatewayClient clientOf(ConfigurableApplicationContext context) {
        return new GatewayClient(port(context));
    }
}
