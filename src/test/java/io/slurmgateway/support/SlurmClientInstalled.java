package io.slurmgateway.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only where Slurm's client commands are installed (Debian: {@code slurm-client}, which
 * {@code scripts/slurm-rig.sh up} installs), and says so on the console when it skips. With
 * {@code GATEWAY_TEST_SLURM=required} (as in CI's rig suite) their absence fails the class instead.
 */
public class SlurmClientInstalled implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, "sinfo"))) {
                return ConditionEvaluationResult.enabled("sinfo is installed");
            }
        }
        String reason = "SKIPPED " + context.getDisplayName() + ": Slurm's client commands (sinfo) are not on the PATH;"
                + " install slurm-client, or run `sudo scripts/slurm-rig.sh up`, which does";
        if ("required".equals(System.getenv("GATEWAY_TEST_SLURM"))) {
            throw new IllegalStateException("GATEWAY_TEST_SLURM=required, but " + reason);
        }
        System.out.println(reason);
        return ConditionEvaluationResult.disabled(reason);
    }
}
