package io.slurmgateway.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * A Ray cluster in the allocation: the head on the first node, one {@code ray start} worker per node, and the payload,
 * a Python program, run on the first node with {@code RAY_ADDRESS} set. The dashboard is published on the run.
 */
@Component
class RayLauncher extends ClusterLauncher<RayOptions.Read> {

    private static final String SCRIPT = resource("ray.sh");

    static final String PRE_START = "pre-start.sh";

    @Override
    public String name() {
        return "ray";
    }

    @Override
    String frameworkScript() {
        return SCRIPT;
    }

    @Override
    RayOptions.Read read(Map<String, Object> options, List<SpecViolation> found) {
        return RayOptions.read(options, found);
    }

    @Override
    List<JobScript.StagedFile> moreFiles(RayOptions.Read read) {
        RayOptions options = read.options();
        if (options.preStart().isEmpty()) {
            return List.of();
        }
        String script = "#!/bin/bash\n# The run's preStart lines, run on every node before ray start.\n"
                + String.join("\n", options.preStart()) + "\n";
        return List.of(new JobScript.StagedFile(PRE_START, script, true));
    }

    @Override
    Map<String, String> frameworkEnvironment(RayOptions.Read read, LaunchDefaults defaults) {
        RayOptions options = read.options();
        Map<String, String> environment =
                new TreeMap<>(common(options.headTimeout(), options.registrationTimeout(), options.networkInterface()));
        environment.put(PREFIX + "PYTHON", defaults.python().executable());
        putIfSet(environment, "PYTHON_ACTIVATE", defaults.python().activate());
        environment.put(PREFIX + "RAY", defaults.ray().executable());
        putIfSet(environment, "RAY_OBJECT_STORE_MEMORY", read.objectStoreBytes());
        putIfSet(environment, "RAY_GPUS_PER_NODE", options.gpusPerNode());
        List<String> head = new ArrayList<>(defaults.ray().startArgs());
        head.addAll(options.headArgs());
        List<String> worker = new ArrayList<>(defaults.ray().startArgs());
        worker.addAll(options.workerArgs());
        putList(environment, "RAY_HEAD_ARGS", head);
        putList(environment, "RAY_WORKER_ARGS", worker);
        if (!options.preStart().isEmpty()) {
            environment.put(PREFIX + "PRE_START", "./" + PRE_START);
        }
        return environment;
    }
}
