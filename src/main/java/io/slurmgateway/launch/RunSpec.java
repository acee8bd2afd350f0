package io.slurmgateway.launch;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * What a client asks the gateway to run: the body of {@code POST /api/v1/runs}, stored with the run as JSON.
 *
 * <p>Every field is optional at the type level so that one validator can name every missing or malformed field at
 * once; {@link #withDefaults} fills what configuration decides.
 */
public record RunSpec(
        @Schema(
                        requiredMode = Schema.RequiredMode.REQUIRED,
                        description = "Asset key: parts of [A-Za-z0-9_.-] joined by '/', at most 255 characters",
                        example = "analytics/daily_orders")
                String asset,
        @Schema(
                        allowableValues = {"local", "slurm"},
                        description = "Default: gateway.runs.default-mode")
                String mode,
        String cluster,
        @Schema(
                        allowableValues = {"bash", "spark", "dask", "ray"},
                        defaultValue = "bash",
                        description = "What starts the payload: bash runs it as a program; spark, dask and ray start"
                                + " that framework's cluster on the run's nodes and run the payload against it")
                String launcher,
        @Schema(
                        description = "The launcher's options; bash takes none",
                        oneOf = {SparkOptions.class, DaskOptions.class, RayOptions.class})
                Map<String, Object> launcherOptions,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Payload payload,
        List<String> args,
        Map<String, String> env,
        Resources resources,
        Dagster dagster,
        @Schema(
                        description =
                                "The software environment the job starts in: an uploaded pack, unpacked once per cluster"
                                        + " and reused, or a directory deployed on the cluster already; its activate.sh (or"
                                        + " bin/activate) is sourced, or its bin/ put first on PATH, before the launcher starts")
                Environment environment,
        @Schema(
                        description = "Files placed in the run's directory before the payload starts: a relative"
                                + " path, and either the digest of an uploaded blob (\"sha256:<hex>\") or, for small"
                                + " files, {\"base64\": \"...\"}, which the gateway stores as a blob of the caller's",
                        example =
                                "{\"main.py\": \"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"}")
                Map<String, Object> files) {

    public static final String DEFAULT_LAUNCHER = "bash";

    public RunSpec {
        launcherOptions = launcherOptions == null ? Map.of() : launcherOptions;
        args = args == null ? List.of() : args;
        env = env == null ? Map.of() : env;
        resources = resources == null ? Resources.NONE : resources;
        files = files == null ? Map.of() : files;
    }

    /** A spec without an environment or files. */
    public RunSpec(
            String asset,
            String mode,
            String cluster,
            String launcher,
            Map<String, Object> launcherOptions,
            Payload payload,
            List<String> args,
            Map<String, String> env,
            Resources resources,
            Dagster dagster) {
        this(asset, mode, cluster, launcher, launcherOptions, payload, args, env, resources, dagster, null, null);
    }

    /** The same spec with other files (the gateway stores inline files as blobs and names them by digest). */
    public RunSpec withFiles(Map<String, Object> replaced) {
        return new RunSpec(
                asset,
                mode,
                cluster,
                launcher,
                launcherOptions,
                payload,
                args,
                env,
                resources,
                dagster,
                environment,
                replaced);
    }

    /**
     * The spec with the mode, cluster and launcher filled in where the client left them out.
     *
     * @param defaultCluster the cluster of a Slurm run that names none; null when there is no default
     */
    public RunSpec withDefaults(String defaultMode, String defaultCluster) {
        String effectiveMode = mode == null ? defaultMode : mode;
        return new RunSpec(
                asset,
                effectiveMode,
                cluster == null && "slurm".equals(effectiveMode) ? defaultCluster : cluster,
                launcher == null ? DEFAULT_LAUNCHER : launcher,
                launcherOptions,
                payload,
                args,
                env,
                resources,
                dagster,
                environment,
                files);
    }

    /**
     * The program to run: exactly one of an inline script, or a path: absolute for a program on the target host,
     * relative for one of the run's {@code files}.
     */
    public record Payload(String script, String path) {}

    /** Exactly one of an uploaded pack ({@code sha256:<hex>}) or an absolute directory on the target host. */
    public record Environment(String pack, String path) {}

    /** Slurm-style resource requests; in local mode only {@code timeLimit} applies. */
    public record Resources(
            String partition,
            Integer nodes,
            Integer ntasks,
            Integer cpusPerTask,
            String memory,
            Integer gpus,
            String timeLimit,
            String qos,
            String account,
            String reservation,
            String constraint,
            Boolean exclusive,
            @Schema(
                            description = "A signal the payload gets this many seconds before the time limit, as"
                                    + " SIGNAL@SECONDS (USR1, USR2, TERM, INT, HUP, QUIT, ALRM, URG or XCPU; 1 to"
                                    + " 65535 s). Slurm sends it up to a minute early.",
                            example = "USR1@60")
                    String signalBeforeTimeout) {

        public static final Resources NONE =
                new Resources(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The Dagster run this gateway run belongs to. */
    public record Dagster(String runId, String stepKey, Map<String, Object> pipesContext) {}
}
