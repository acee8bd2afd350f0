package io.slurmgateway.support;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only where Debian's chromium and its chromedriver are installed, and says so on the console when it
 * skips; with {@code GATEWAY_TEST_BROWSER=required} (as in CI, which installs them) their absence fails the class.
 */
public class BrowserAvailable implements ExecutionCondition {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return ConditionEvaluationResult.enabled("chromium and chromedriver are installed");
        }
        String reason = "SKIPPED " + context.getDisplayName() + ": " + CHROMIUM + " or " + CHROMEDRIVER
                + " is missing; install Debian's chromium and chromium-driver";
        if ("required".equals(System.getenv("GATEWAY_TEST_BROWSER"))) {
            throw new IllegalStateException("GATEWAY_TEST_BROWSER=required, but " + reason);
        }
        System.out.println(reason);
        return ConditionEvaluationResult.disabled(reason);
    }
}
