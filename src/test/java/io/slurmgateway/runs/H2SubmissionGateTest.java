package io.slurmgateway.runs;

import java.io.IOException;
import java.nio.file.Files;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The cluster cap on the embedded H2 database, the claimers all in this instance. */
class H2SubmissionGateTest extends SubmissionGateContract {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws IOException {
        String file = Files.createTempDirectory("gateway-h2-").resolve("db").toString();
        registry.add(
                "spring.datasource.url", () -> "jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000");
        capped(registry);
    }
}
