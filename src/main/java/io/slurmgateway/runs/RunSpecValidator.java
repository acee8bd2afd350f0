package io.slurmgateway.runs;

import io.slurmgateway.clusters.ClusterRegistry;
import io.slurmgateway.launch.Launcher;
import io.slurmgateway.launch.LauncherRegistry;
import io.slurmgateway.launch.PreTimeoutSignal;
import io.slurmgateway.launch.RunSpec;
import io.slurmgateway.launch.SlurmDuration;
import io.slurmgateway.launch.SpecViolation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every rule a run request must satisfy before anything is stored or executed. It reports all broken rules at once,
 * each with the field it concerns, so a client can fix a request in one round.
 */
@Component
class RunSpecValidator {

    private static final int MAX_ASSET_LENGTH = 255;
    private static final int MAX_PATH_LENGTH = 4096;
    private static final int MAX_ENV_NAME_LENGTH = 255;
    private static final int MAX_DAGSTER_ID_LENGTH = 255;
    private static final Pattern ASSET = Pattern.compile("[A-Za-z0-9_./-]+");
    private static final Pattern PAYLOAD_PATH = Pattern.compile("/[A-Za-z0-9._+@%=,:/~-]*");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final List<String> RESERVED_ENV_PREFIXES = List.of("SLURM_GATEWAY_", "DAGSTER_PIPES_");

    /**
     * Variables that make bash itself read and run text (BASH_ENV, ENV, SHELLOPTS with PS4, PROMPT_COMMAND) or change
     * how it parses (IFS), or that load code into every program before main (LD_PRELOAD, LD_AUDIT). The job script
     * and the gateway's wrapper are bash, so a value of these would be code, never data.
     */
    private static final Set<String> SHELL_CONTROL_ENV = Set.of(
            "BASH_ENV",
            "ENV",
            "SHELLOPTS",
            "BASHOPTS",
            "PS4",
            "PROMPT_COMMAND",
            "IFS",
            "BASH_XTRACEFD",
            "LD_PRELOAD",
            "LD_AUDIT");

    private static final Pattern SLURM_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern CONSTRAINT = Pattern.compile("[A-Za-z0-9_.&|,:*()\\[\\]!-]{1,255}");
    private static final Pattern MEMORY = Pattern.compile("[1-9][0-9]{0,9}[KMGT]?");
    private static final int MAX_COUNT = 1_000_000;
    private static final int MAX_GPUS = 1024;

    private final LauncherRegistry launchers;
    private final RunsProperties limits;
    private final ClusterRegistry clusters;
    private final JsonMapper json;

    RunSpecValidator(LauncherRegistry launchers, RunsProperties limits, ClusterRegistry clusters, JsonMapper json) {
        this.launchers = launchers;
        this.limits = limits;
        this.clusters = clusters;
        this.json = json;
    }

    /** Problems with a spec whose defaults are already applied; empty when it may be accepted. */
    List<SpecViolation> violations(RunSpec spec) {
        List<SpecViolation> found = new ArrayList<>();
        checkAsset(spec.asset(), found);
        checkModeAndCluster(spec, found);
        checkLauncher(spec, found);
        checkPayload(spec.payload(), found);
        RunFileRules.check(spec, found);
        checkArgs(spec.args(), found);
        checkEnv(spec.env(), found);
        checkResources(spec.resources(), found);
        checkLocalTimeLimit(spec, found);
        checkDagster(spec.dagster(), found);
        checkPipesContext(spec.dagster(), found);
        return found;
    }

    private static void checkAsset(String asset, List<SpecViolation> found) {
        if (asset == null || asset.isEmpty()) {
            found.add(new SpecViolation("asset", "is required"));
        } else if (asset.length() > MAX_ASSET_LENGTH) {
            found.add(new SpecViolation("asset", "must be at most " + MAX_ASSET_LENGTH + " characters"));
        } else if (!ASSET.matcher(asset).matches()) {
            found.add(new SpecViolation("asset", "may contain only letters, digits and _ . / -"));
        } else if (hasEmptyOrDotSegment(asset)) {
            found.add(new SpecViolation("asset", "must be path parts joined by '/', none of them empty, '.' or '..'"));
        }
    }

    private static boolean hasEmptyOrDotSegment(String asset) {
        for (String part : asset.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return true;
            }
        }
        return false;
    }

    private void checkModeAndCluster(RunSpec spec, List<SpecViolation> found) {
        if (RunMode.SLURM.equals(spec.mode())) {
            List<String> names = clusters.names();
            if (names.isEmpty()) {
                found.add(
                        new SpecViolation("mode", "'slurm' is not available: this gateway has no cluster configured"));
            } else if (spec.cluster() == null) {
                found.add(new SpecViolation("cluster", "is required for Slurm runs: one of " + names));
            } else if (!names.contains(spec.cluster())) {
                found.add(new SpecViolation("cluster", "must be one of " + names));
            }
        } else if (!RunMode.LOCAL.equals(spec.mode())) {
            found.add(new SpecViolation("mode", "must be 'local' or 'slurm'"));
        } else if (!limits.localModeEnabled()) {
            found.add(new SpecViolation("mode", "local runs are disabled on this gateway"));
        } else if (spec.cluster() != null) {
            found.add(new SpecViolation("cluster", "local runs execute on the gateway host and take no cluster"));
        }
    }

    private void checkLauncher(RunSpec spec, List<SpecViolation> found) {
        Optional<Launcher> launcher = launchers.find(spec.launcher());
        if (launcher.isEmpty()) {
            found.add(new SpecViolation("launcher", "must be one of " + launchers.names()));
        } else {
            found.addAll(launcher.get().validateOptions(spec));
        }
    }

    private void checkPayload(RunSpec.Payload payload, List<SpecViolation> found) {
        if (payload == null || (payload.script() == null) == (payload.path() == null)) {
            found.add(new SpecViolation("payload", "must have exactly one of 'script' or 'path'"));
            return;
        }
        if (payload.script() != null) {
            checkText("payload.script", payload.script(), limits.maxScriptSize().toBytes(), found);
            if (payload.script().isBlank()) {
                found.add(new SpecViolation("payload.script", "must not be blank"));
            }
        } else if (payload.path().length() > MAX_PATH_LENGTH) {
            found.add(new SpecViolation("payload.path", "must be at most " + MAX_PATH_LENGTH + " characters"));
        } else if (!RunFileRules.namesAFile(payload)
                && !PAYLOAD_PATH.matcher(payload.path()).matches()) {
            found.add(new SpecViolation(
                    "payload.path", "must be an absolute path of letters, digits and . _ + @ % = , : / ~ -"));
        }
    }

    private void checkArgs(List<String> args, List<SpecViolation> found) {
        if (args.size() > limits.maxArgs()) {
            found.add(new SpecViolation("args", "must have at most " + limits.maxArgs() + " entries"));
            return;
        }
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i) == null) {
                found.add(new SpecViolation("args[" + i + "]", "must be a string, not null"));
            } else {
                checkText("args[" + i + "]", args.get(i), limits.maxArgSize().toBytes(), found);
            }
        }
    }

    private void checkEnv(Map<String, String> env, List<SpecViolation> found) {
        if (env.size() > limits.maxEnvEntries()) {
            found.add(new SpecViolation("env", "must have at most " + limits.maxEnvEntries() + " entries"));
            return;
        }
        env.forEach((name, value) -> {
            String field = "env." + name;
            if (name.length() > MAX_ENV_NAME_LENGTH || !ENV_NAME.matcher(name).matches()) {
                found.add(new SpecViolation(
                        field, "names must match [A-Za-z_][A-Za-z0-9_]* and be at most 255 characters"));
            } else if (SHELL_CONTROL_ENV.contains(name)) {
                found.add(new SpecViolation(field, "would be run or parsed by the job's shell; it cannot be set"));
            } else if (RESERVED_ENV_PREFIXES.stream().anyMatch(name::startsWith)) {
                found.add(new SpecViolation(
                        field, "names starting with " + RESERVED_ENV_PREFIXES + " are set by the gateway"));
            }
            if (value == null) {
                found.add(new SpecViolation(field, "must be a string, not null"));
            } else {
                checkText(field, value, limits.maxEnvValueSize().toBytes(), found);
            }
        });
    }

    /** A local run holds the gateway host for as long as it runs: its time limit is capped. */
    private void checkLocalTimeLimit(RunSpec spec, List<SpecViolation> found) {
        if (!RunMode.LOCAL.equals(spec.mode()) || spec.resources().timeLimit() == null) {
            return;
        }
        SlurmDuration.parse(spec.resources().timeLimit())
                .filter(limit -> limit.compareTo(limits.localMaxTimeLimit()) > 0)
                .ifPresent(limit -> found.add(new SpecViolation(
                        "resources.timeLimit",
                        "must be at most " + limits.localMaxTimeLimit().toMinutes()
                                + " minutes for a local run (gateway.runs.local-max-time-limit)")));
    }

    private static void checkResources(RunSpec.Resources resources, List<SpecViolation> found) {
        checkName("resources.partition", resources.partition(), SLURM_NAME, found);
        checkName("resources.qos", resources.qos(), SLURM_NAME, found);
        checkName("resources.account", resources.account(), SLURM_NAME, found);
        checkName("resources.reservation", resources.reservation(), SLURM_NAME, found);
        checkName("resources.constraint", resources.constraint(), CONSTRAINT, found);
        checkCount("resources.nodes", resources.nodes(), 1, MAX_COUNT, found);
        checkCount("resources.ntasks", resources.ntasks(), 1, MAX_COUNT, found);
        checkCount("resources.cpusPerTask", resources.cpusPerTask(), 1, MAX_COUNT, found);
        checkCount("resources.gpus", resources.gpus(), 0, MAX_GPUS, found);
        if (resources.memory() != null && !MEMORY.matcher(resources.memory()).matches()) {
            found.add(new SpecViolation(
                    "resources.memory", "must be a positive whole number with an optional K, M, G or T suffix"));
        }
        if (resources.timeLimit() != null
                && SlurmDuration.parse(resources.timeLimit()).isEmpty()) {
            found.add(new SpecViolation(
                    "resources.timeLimit", "must be a positive Slurm time: M, M:S, H:M:S, D-H, D-H:M or D-H:M:S"));
        }
        if (resources.signalBeforeTimeout() != null) {
            Optional<PreTimeoutSignal> signal = PreTimeoutSignal.parse(resources.signalBeforeTimeout());
            Optional<Duration> limit =
                    Optional.ofNullable(resources.timeLimit()).flatMap(SlurmDuration::parse);
            if (signal.isEmpty()) {
                found.add(new SpecViolation(
                        "resources.signalBeforeTimeout",
                        "must be SIGNAL@SECONDS, such as USR1@60, with a signal of "
                                + new TreeSet<>(PreTimeoutSignal.SIGNALS) + " and 1 to "
                                + PreTimeoutSignal.MAX_SECONDS + " seconds"));
            } else if (limit.isPresent()
                    && signal.get().seconds() >= limit.get().toSeconds()) {
                found.add(new SpecViolation(
                        "resources.signalBeforeTimeout", "must come before the time limit (resources.timeLimit)"));
            }
        }
    }

    /**
     * The context travels as one environment variable, and Linux refuses to start a program with a single environment
     * string over 128 KiB; it is also held to the limit on any environment value.
     */
    private void checkPipesContext(RunSpec.Dagster dagster, List<SpecViolation> found) {
        if (dagster == null || dagster.pipesContext() == null) {
            return;
        }
        long size = json.writeValueAsBytes(dagster.pipesContext()).length;
        if (size > limits.maxEnvValueSize().toBytes()) {
            found.add(new SpecViolation(
                    "dagster.pipesContext",
                    "must be at most " + limits.maxEnvValueSize().toBytes()
                            + " bytes as JSON (gateway.runs.max-env-value-size)"));
        }
    }

    private static void checkDagster(RunSpec.Dagster dagster, List<SpecViolation> found) {
        if (dagster == null) {
            return;
        }
        checkDagsterId("dagster.runId", dagster.runId(), found);
        checkDagsterId("dagster.stepKey", dagster.stepKey(), found);
    }

    private static void checkDagsterId(String field, String value, List<SpecViolation> found) {
        if (value != null
                && (value.length() > MAX_DAGSTER_ID_LENGTH || value.chars().anyMatch(Character::isISOControl))) {
            found.add(new SpecViolation(field, "must be at most 255 characters without control characters"));
        }
    }

    private static void checkName(String field, String value, Pattern pattern, List<SpecViolation> found) {
        if (value != null && !pattern.matcher(value).matches()) {
            found.add(new SpecViolation(field, "must match " + pattern.pattern()));
        }
    }

    private static void checkCount(String field, Integer value, int min, int max, List<SpecViolation> found) {
        if (value != null && (value < min || value > max)) {
            found.add(new SpecViolation(field, "must be between " + min + " and " + max));
        }
    }

    private static void checkText(String field, String value, long maxBytes, List<SpecViolation> found) {
        if (value.indexOf('\0') >= 0) {
            found.add(new SpecViolation(field, "must not contain NUL characters"));
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            found.add(new SpecViolation(field, "must be at most " + maxBytes + " bytes"));
        }
    }
}
