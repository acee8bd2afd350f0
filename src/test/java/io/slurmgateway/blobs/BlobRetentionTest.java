package io.slurmgateway.blobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.slurmgateway.support.GatewayTestBase;
import io.slurmgateway.support.Packs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Unused blobs are removed, and a blob an unfinished run names is kept however old: with a retention of a millisecond,
 * one sweep removes the blob nobody names and spares the one a running run needs, until that run has ended.
 */
class BlobRetentionTest extends GatewayTestBase {

    private static Path home;

    @Autowired
    Blobs blobs;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        home = isolate(registry, "blob-retention");
        registry.add("gateway.blobs.retention", () -> "1ms");
        registry.add("gateway.blobs.sweep-interval", () -> "0s"); // the test sweeps itself
    }

    @Test
    void aBlobNoUnfinishedRunNamesIsRemovedAndANamedOneIsKeptUntilItsRunEnds() throws Exception {
        String unused = Packs.upload(port, "nobody names me\n".getBytes());
        String named = Packs.upload(port, "a running run names me\n".getBytes());
        Path flag = Files.createTempDirectory(home, "flag").resolve("release");
        String id = client.createRun("{\"asset\": \"local/retention\", \"mode\": \"local\", \"payload\": {\"script\":"
                + " \"#!/bin/bash\\nwhile [ ! -e \\\"$1\\\" ]; do sleep 0.1; done\\ncat kept.txt\\n\"},"
                + " \"args\": [\"" + flag + "\"], \"files\": {\"kept.txt\": \"" + named + "\"}}");
        client.awaitState(id, "RUNNING");

        assertThat(blobs.removeUnused()).extracting(Digest::toString).containsExactly(unused);
        assertThat(Packs.head(port, unused)).isEqualTo(404);
        assertThat(home.resolve("blobs/sha256").resolve(unused.substring(7))).doesNotExist();
        assertThat(Packs.head(port, named)).isEqualTo(200);

        Files.createFile(flag);
        client.awaitState(id, "COMPLETED");
        assertThat(client.log(id, "stdout")).isEqualTo("a running run names me\n");
        assertThat(blobs.removeUnused()).extracting(Digest::toString).containsExactly(named);
        assertThat(home.resolve("blobs/sha256").resolve(named.substring(7))).doesNotExist();
    }
}
