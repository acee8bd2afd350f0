package io.slurmgateway.runs;

import io.slurmgateway.support.PostgresAvailable;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The cluster cap on a real PostgreSQL, where claimers on separate connections stand for separate instances; in a
 * schema of its own that is dropped afterwards. Skips, saying why, where no server answers.
 */
@ExtendWith(PostgresAvailable.class)
class PostgresSubmissionGateTest extends SubmissionGateContract {

    private static final String SCHEMA = "gateway_gate_"
            + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws IOException {
        registry.add("spring.datasource.url", () -> PostgresAvailable.URL + "?currentSchema=" + SCHEMA);
        registry.add("spring.datasource.username", () -> PostgresAvailable.USER);
        registry.add("spring.flyway.schemas", () -> SCHEMA);
        registry.add("spring.flyway.create-schemas", () -> "true");
        capped(registry);
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        try (Connection connection = PostgresAvailable.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }
}
