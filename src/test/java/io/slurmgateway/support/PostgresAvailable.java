package io.slurmgateway.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only where a PostgreSQL server answers, and says so on the console when it skips. With
 * {@code GATEWAY_TEST_POSTGRES=required} (as in CI) an unreachable server fails the class instead of skipping it.
 */
public class PostgresAvailable implements ExecutionCondition {

    /** The server the PostgreSQL suites use; override with {@code GATEWAY_TEST_POSTGRES_URL}. */
    public static final String URL =
            System.getenv().getOrDefault("GATEWAY_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");

    public static final String USER = System.getenv().getOrDefault("GATEWAY_TEST_POSTGRES_USER", "postgres");

    public static Connection connect() throws SQLException {
        DriverManager.setLoginTimeout(3);
        return DriverManager.getConnection(
                URL, USER, System.getenv().getOrDefault("GATEWAY_TEST_POSTGRES_PASSWORD", ""));
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        try (Connection ignored = connect()) {
            return ConditionEvaluationResult.enabled("PostgreSQL answers at " + URL);
        } catch (SQLException unreachable) {
            String reason = "SKIPPED " + context.getDisplayName() + ": no PostgreSQL at " + URL + " ("
                    + unreachable.getMessage() + "); set GATEWAY_TEST_POSTGRES_URL to run it";
            if ("required".equals(System.getenv("GATEWAY_TEST_POSTGRES"))) {
                throw new IllegalStateException("GATEWAY_TEST_POSTGRES=required, but " + reason, unreachable);
            }
            System.out.println(reason);
            return ConditionEvaluationResult.disabled(reason);
        }
    }
}
