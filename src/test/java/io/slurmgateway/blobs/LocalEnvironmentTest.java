package io.slurmgateway.blobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.slurmgateway.support.GatewayTestBase;
import io.slurmgateway.support.Packs;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Environments and files on local runs, through the real gateway and real processes: a pack is unpacked once into the
 * local cache and reused, files land in the run's directory, and every bad reference is a 400 that stores no run.
 */
class LocalEnvironmentTest extends GatewayTestBase {

    private static Path home;

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        home = isolate(registry, "local-environment");
    }

    @Test
    void twoRunsImportThePackagesOfOnePackUnpackedOnce() {
        String pack = Packs.upload(port, Packs.pythonPack("sg_pack_a", "from-the-pack", Packs.ACTIVATE));
        String main = Packs.upload(port, "import sg_pack_a\nprint('value:', sg_pack_a.VALUE)\n".getBytes());
        double unpacksBefore = count("gateway.cache.unpacks");

        for (int i = 0; i < 2; i++) {
            String id = client.createRun(run(
                    pack,
                    "\"files\": {\"app/main.py\": \"" + main + "\"}",
                    "#!/bin/bash\\nexec python3 app/main.py\\n"));
            client.awaitState(id, "COMPLETED");
            assertThat(client.log(id, "stdout")).contains("value: from-the-pack");
        }
        assertThat(count("gateway.cache.unpacks") - unpacksBefore).isEqualTo(1);
    }

    @Test
    void aPayloadPathNamesOneOfTheFilesAndInlineFilesBecomeBlobs() {
        String script = "#!/bin/bash\ncat data/input.txt\n";
        String body = "{\"asset\": \"local/files\", \"mode\": \"local\", \"payload\": {\"path\": \"run.sh\"},"
                + " \"files\": {\"run.sh\": {\"base64\": \"" + base64(script) + "\"},"
                + " \"data/input.txt\": {\"base64\": \"" + base64("inline data\n") + "\"}}}";

        String id = client.createRun(body);

        client.awaitState(id, "COMPLETED");
        assertThat(client.log(id, "stdout")).isEqualTo("inline data\n");
        // the inline files were stored as the caller's blobs
        assertThat(Packs.head(port, Packs.digest(script.getBytes()))).isEqualTo(200);
    }

    @Test
    void badReferencesAre400AndStoreNoRun() {
        String unsafe = Packs.upload(port, Packs.tarGz(Map.of("activate.sh", "true\n"), Map.of("lib", "../../etc")));
        String noActivate = Packs.upload(port, Packs.pythonPack("sg_pack_b", "x", null));
        String unknown = Packs.digest("never uploaded".getBytes());
        long runsBefore = runs();

        assertRefused(run(unsafe, "", "true"), "environment.pack", "lib");
        assertRefused(run(noActivate, "", "true"), "environment.pack", "activate.sh");
        assertRefused(run(unknown, "", "true"), "environment.pack", "upload it first");
        assertRefused(run(null, "\"files\": {\"../x\": \"" + unknown + "\"}", "true"), "files.../x", "'..'");
        assertRefused(run(null, "\"files\": {\"/etc/x\": \"" + unknown + "\"}", "true"), "files./etc/x", "relative");
        assertRefused(run(null, "\"files\": {\"a\": \"" + unknown + "\"}", "true"), "files.a", "upload it first");
        assertThat(runs()).isEqualTo(runsBefore);
    }

    private void assertRefused(String body, String field, String message) {
        HttpResponse<String> response = client.post("/api/v1/runs", body, Map.of("Content-Type", "application/json"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"" + field + "\"").contains(message);
    }

    private long runs() {
        return client.json(client.get("/api/v1/runs?size=200"))
                .get("totalElements")
                .asLong();
    }

    private double count(String meter) {
        return meters.find(meter).tag("cache", "local").counters().stream()
                .mapToDouble(counter -> counter.count())
                .sum();
    }

    private static String run(String pack, String files, String script) {
        return "{\"asset\": \"local/environment\", \"mode\": \"local\", \"payload\": {\"script\": \"" + script + "\"}"
                + (pack == null ? "" : ", \"environment\": {\"pack\": \"" + pack + "\"}")
                + (files.isEmpty() ? "" : ", " + files) + "}";
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
