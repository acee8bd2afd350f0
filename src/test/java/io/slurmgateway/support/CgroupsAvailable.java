package io.slurmgateway.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only where this process may create cgroups (v1 pids and memory controllers: root, or a delegated
 * hierarchy), and says so on the console when it skips; with {@code GATEWAY_TEST_CGROUPS=required} (as in CI) their
 * absence fails the class instead. Tests that start fork bombs and memory hogs must not run without them.
 */
public class CgroupsAvailable implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String problem = problem();
        if (problem == null) {
            return ConditionEvaluationResult.enabled("cgroups can be created");
        }
        String reason = "SKIPPED " + context.getDisplayName() + ": " + problem;
        if ("required".equals(System.getenv("GATEWAY_TEST_CGROUPS"))) {
            throw new IllegalStateException("GATEWAY_TEST_CGROUPS=required, but " + reason);
        }
        System.out.println(reason);
        return ConditionEvaluationResult.disabled(reason);
    }

    private static String problem() {
        for (String controller : new String[] {"pids", "memory"}) {
            Path probe = Path.of("/sys/fs/cgroup", controller, "gateway-test-probe-" + UUID.randomUUID());
            try {
                Files.createDirectory(probe);
                Files.delete(probe);
            } catch (IOException | UnsupportedOperationException notAllowed) {
                return "cannot create a cgroup in the " + controller + " controller (" + notAllowed + "); run as root"
                        + " on a host with cgroup v1 pids and memory controllers";
            }
        }
        return null;
    }
}
