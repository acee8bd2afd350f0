package io.slurmgateway.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.FileSystemResource;

/**
 * Runs a test class only where the Slurm rig is up ({@code sudo scripts/slurm-rig.sh up}), and says so on the console
 * when it skips. With {@code GATEWAY_TEST_SLURM=required} (as in CI) a missing rig fails the class instead.
 */
public class SlurmRigAvailable implements ExecutionCondition {

    /** The gateway configuration the rig script writes; override with {@code GATEWAY_TEST_SLURM_CONFIG}. */
    public static final Path CONFIG =
            Path.of(System.getenv().getOrDefault("GATEWAY_TEST_SLURM_CONFIG", ".slurm-rig/application-rig.yml"));

    /** The rig's gateway configuration as flat properties ({@code gateway.clusters.rig.host=...}). */
    public static Properties properties() {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new FileSystemResource(CONFIG));
        return yaml.getObject();
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String problem = problem();
        if (problem == null) {
            return ConditionEvaluationResult.enabled("the Slurm rig is up");
        }
        String reason = "SKIPPED " + context.getDisplayName() + ": " + problem
                + "; start it with `sudo scripts/slurm-rig.sh up`";
        if ("required".equals(System.getenv("GATEWAY_TEST_SLURM"))) {
            throw new IllegalStateException("GATEWAY_TEST_SLURM=required, but " + reason);
        }
        System.out.println(reason);
        return ConditionEvaluationResult.disabled(reason);
    }

    private static String problem() {
        if (!Files.isReadable(CONFIG)) {
            return "no Slurm rig configuration at " + CONFIG.toAbsolutePath();
        }
        Properties rig = properties();
        String host = rig.getProperty("gateway.clusters.rig.host");
        int port = Integer.parseInt(rig.getProperty("gateway.clusters.rig.port", "22"));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            return null;
        } catch (IOException unreachable) {
            return "the rig's sshd at " + host + ":" + port + " does not answer (" + unreachable.getMessage() + ")";
        }
    }
}
