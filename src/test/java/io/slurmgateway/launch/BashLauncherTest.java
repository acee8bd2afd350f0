package io.slurmgateway.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The bash launcher's job scripts, compared with golden files in src/test/resources/golden. */
class BashLauncherTest {

    private static final UUID RUN_ID = UUID.fromString("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
    private final BashLauncher launcher = new BashLauncher();

    @Test
    void inlineScriptWithAnInterpreterLineIsExecutedDirectly() throws IOException {
        JobScript script = launcher.jobScript(
                RUN_ID, spec(new RunSpec.Payload("#!/usr/bin/env python3\nprint(1)\n", null)), LaunchDefaults.NONE);

        assertThat(script.scriptText()).isEqualTo(golden("bash-inline-with-interpreter.sh"));
        assertThat(script.files())
                .containsExactly(new JobScript.StagedFile("payload", "#!/usr/bin/env python3\nprint(1)\n", true));
        assertThat(script.environment()).containsEntry("SLURM_GATEWAY_PAYLOAD", "./payload");
    }

    @Test
    void inlineScriptWithoutAnInterpreterLineRunsUnderBash() throws IOException {
        JobScript script =
                launcher.jobScript(RUN_ID, spec(new RunSpec.Payload("echo hi\n", null)), LaunchDefaults.NONE);

        assertThat(script.scriptText()).isEqualTo(golden("bash-inline-plain.sh"));
    }

    @Test
    void pathPayloadIsExecutedWhereItLiesAndNothingIsStaged() throws IOException {
        JobScript script =
                launcher.jobScript(RUN_ID, spec(new RunSpec.Payload(null, "/opt/jobs/train.py")), LaunchDefaults.NONE);

        assertThat(script.scriptText()).isEqualTo(golden("bash-path.sh"));
        assertThat(script.files()).isEmpty();
        assertThat(script.environment()).containsEntry("SLURM_GATEWAY_PAYLOAD", "/opt/jobs/train.py");
    }

    @Test
    void userValuesTravelAsDataAndNeverInTheScriptText() {
        String hostile = "$(touch /tmp/pwned); `id` \"'\n";
        RunSpec spec = new RunSpec(
                "a",
                "local",
                null,
                "bash",
                null,
                new RunSpec.Payload("echo " + hostile, null),
                List.of(hostile),
                Map.of("HOSTILE", hostile),
                null,
                null);

        JobScript script = launcher.jobScript(RUN_ID, spec, LaunchDefaults.NONE);

        assertThat(script.scriptText()).doesNotContain("pwned").doesNotContain("`id`");
        assertThat(script.arguments()).containsExactly(hostile);
        assertThat(script.environment())
                .containsEntry("HOSTILE", hostile)
                .containsEntry("SLURM_GATEWAY_RUN_ID", RUN_ID.toString());
    }

    @Test
    void refusesEveryLauncherOption() {
        RunSpec spec = new RunSpec("a", "local", null, "bash", Map.of("workers", 2), null, null, null, null, null);

        assertThat(launcher.validateOptions(spec))
                .extracting(SpecViolation::field)
                .containsExactly("launcherOptions.workers");
    }

    private static RunSpec spec(RunSpec.Payload payload) {
        return new RunSpec(
                "demo/a",
                "local",
                null,
                "bash",
                null,
                payload,
                List.of("--date", "2026-11-28"),
                Map.of("K", "v"),
                null,
                null);
    }

    private static String golden(String name) throws IOException {
        try (var in = BashLauncherTest.class.getResourceAsStream("/golden/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
