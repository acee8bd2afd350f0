package io.slurmgateway.launch;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Runs the payload as a program: an inline script is staged as {@code payload} and executed (its {@code #!} line
 * chooses the interpreter, bash when it has none); a path payload is executed where it lies.
 */
@Component
class BashLauncher implements Launcher {

    /** Names the program the job script executes; set by the gateway, never by the client. */
    static final String PAYLOAD_VARIABLE = "SLURM_GATEWAY_PAYLOAD";

    static final String RUN_ID_VARIABLE = "SLURM_GATEWAY_RUN_ID";
    static final String INLINE_PAYLOAD_NAME = "payload";

    @Override
    public String name() {
        return "bash";
    }

    @Override
    public List<SpecViolation> validateOptions(RunSpec spec) {
        return spec.launcherOptions().keySet().stream()
                .sorted()
                .map(option -> new SpecViolation(
                        "launcherOptions." + option, "the bash launcher takes no options; remove '" + option + "'"))
                .collect(Collectors.toList());
    }

    @Override
    public JobScript jobScript(UUID runId, RunSpec spec, LaunchDefaults defaults) {
        RunSpec.Payload payload = spec.payload();
        boolean inline = payload.script() != null;
        // a relative path names one of the run's files, placed in its directory (the job's working directory)
        String program = inline
                ? "./" + INLINE_PAYLOAD_NAME
                : payload.path().startsWith("/") ? payload.path() : "./" + payload.path();
        boolean needsBash = inline && !payload.script().startsWith("#!");
        String scriptText = String.join(
                "\n",
                "#!/bin/bash",
                "# Written by Slurm Gateway for run " + runId + ".",
                "# The payload, its arguments and its environment arrive as data, never as shell text.",
                needsBash
                        ? "exec /bin/bash \"$" + PAYLOAD_VARIABLE + "\" \"$@\""
                        : "exec \"$" + PAYLOAD_VARIABLE + "\" \"$@\"",
                "");
        Map<String, String> environment = new TreeMap<>(spec.env());
        environment.put(PAYLOAD_VARIABLE, program);
        environment.put(RUN_ID_VARIABLE, runId.toString());
        List<JobScript.StagedFile> files =
                inline ? List.of(new JobScript.StagedFile(INLINE_PAYLOAD_NAME, payload.script(), true)) : List.of();
        return new JobScript(scriptText, spec.args(), environment, files);
    }
}
