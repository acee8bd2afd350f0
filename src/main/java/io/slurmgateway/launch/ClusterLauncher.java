package io.slurmgateway.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The launchers that start a framework's cluster inside the run's allocation and run the payload against it. They
 * share one job script, {@code cluster.sh} (head on the first node, a worker per node through srun, readiness and
 * registration waits, the payload, cleanup on every exit); each framework adds {@code framework.sh}, the few shell
 * functions that differ, and the environment variables those read. Options reach the job only as that environment.
 *
 * @param <O> the launcher's options as {@link #read} makes them of {@code launcherOptions}, read once per call
 */
abstract class ClusterLauncher<O> implements Launcher {

    static final String PREFIX = "SLURM_GATEWAY_";
    static final String SKELETON = resource("cluster.sh");
    static final String CLAIM_PORTS = resource("claim-ports.sh");

    /** {@code framework.sh}: this framework's functions for the skeleton. */
    abstract String frameworkScript();

    /** The options, read strictly: each problem is added to {@code found}, and a bad value reads as absent. */
    abstract O read(Map<String, Object> options, List<SpecViolation> found);

    /** The variables {@code framework.sh} reads, from valid options and the cluster's defaults. */
    abstract Map<String, String> frameworkEnvironment(O options, LaunchDefaults defaults);

    /** Problems with the payload for this framework; none by default. */
    List<SpecViolation> checkPayload(RunSpec.Payload payload) {
        return List.of();
    }

    /** More files for the run's directory; none by default. */
    List<JobScript.StagedFile> moreFiles(O options) {
        return List.of();
    }

    @Override
    public final List<SpecViolation> validateOptions(RunSpec spec) {
        List<SpecViolation> found = new ArrayList<>();
        read(spec.launcherOptions(), found);
        if (spec.payload() != null) {
            found.addAll(checkPayload(spec.payload()));
        }
        if ("local".equals(spec.mode())
                && spec.resources().nodes() != null
                && spec.resources().nodes() > 1) {
            found.add(new SpecViolation("resources.nodes", "a local run has one node; use mode slurm for more"));
        }
        return found;
    }

    @Override
    public final JobScript jobScript(UUID runId, RunSpec spec, LaunchDefaults defaults) {
        O options = read(spec.launcherOptions(), new ArrayList<>()); // validated when the run was created
        Map<String, String> environment = new TreeMap<>(spec.env());
        environment.putAll(frameworkEnvironment(options, defaults));
        environment.put(PREFIX + "FRAMEWORK", name());
        environment.put(BashLauncher.RUN_ID_VARIABLE, runId.toString());
        environment.put(PREFIX + "MODE", "slurm".equals(spec.mode()) ? "slurm" : "local");
        environment.put(
                BashLauncher.PAYLOAD_VARIABLE,
                spec.payload().script() != null
                        ? "./" + BashLauncher.INLINE_PAYLOAD_NAME
                        : spec.payload().path());
        List<JobScript.StagedFile> files = new ArrayList<>();
        files.add(new JobScript.StagedFile("framework.sh", frameworkScript(), false));
        files.add(new JobScript.StagedFile("claim-ports.sh", CLAIM_PORTS, false));
        if (spec.payload().script() != null) {
            files.add(new JobScript.StagedFile(
                    BashLauncher.INLINE_PAYLOAD_NAME, spec.payload().script(), true));
        }
        files.addAll(moreFiles(options));
        return new JobScript(SKELETON, spec.args(), environment, files);
    }

    /** The variables of the options every cluster launcher takes. */
    static Map<String, String> common(Integer headTimeout, Integer registrationTimeout, String networkInterface) {
        Map<String, String> environment = new TreeMap<>();
        environment.put(
                PREFIX + "HEAD_TIMEOUT",
                String.valueOf(headTimeout == null ? ClusterOptions.DEFAULT_HEAD_TIMEOUT : headTimeout));
        environment.put(
                PREFIX + "REGISTRATION_TIMEOUT",
                String.valueOf(
                        registrationTimeout == null
                                ? ClusterOptions.DEFAULT_REGISTRATION_TIMEOUT
                                : registrationTimeout));
        putIfSet(environment, "NETWORK_INTERFACE", networkInterface);
        return environment;
    }

    static void putIfSet(Map<String, String> environment, String name, Object value) {
        if (value != null) {
            environment.put(PREFIX + name, String.valueOf(value));
        }
    }

    /** A list as one variable, an item per line; items never hold a newline (options and defaults are checked). */
    static void putList(Map<String, String> environment, String name, List<String> items) {
        if (!items.isEmpty()) {
            environment.put(PREFIX + name, String.join("\n", items));
        }
    }

    static String resource(String name) {
        return ScriptResources.text(name);
    }
}
