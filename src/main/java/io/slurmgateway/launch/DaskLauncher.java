package io.slurmgateway.launch;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * A Dask cluster in the allocation: the scheduler on the first node, one worker per node, and the payload, a Python
 * program, run on the first node with {@code DASK_SCHEDULER_ADDRESS} set. The dashboard is published on the run.
 */
@Component
class DaskLauncher extends ClusterLauncher<DaskOptions.Read> {

    private static final String SCRIPT = resource("dask.sh");

    @Override
    public String name() {
        return "dask";
    }

    @Override
    String frameworkScript() {
        return SCRIPT;
    }

    @Override
    DaskOptions.Read read(Map<String, Object> options, List<SpecViolation> found) {
        return DaskOptions.read(options, found);
    }

    @Override
    Map<String, String> frameworkEnvironment(DaskOptions.Read read, LaunchDefaults defaults) {
        DaskOptions options = read.options();
        Map<String, String> environment =
                new TreeMap<>(common(options.headTimeout(), options.registrationTimeout(), options.networkInterface()));
        environment.put(PREFIX + "PYTHON", defaults.python().executable());
        putIfSet(environment, "PYTHON_ACTIVATE", defaults.python().activate());
        putList(environment, "DASK_SCHEDULER_ARGS", defaults.dask().schedulerArgs());
        putList(environment, "DASK_WORKER_ARGS", defaults.dask().workerArgs());
        putIfSet(environment, "DASK_WORKER_THREADS", options.workerThreads());
        putIfSet(environment, "DASK_WORKER_MEMORY", read.workerMemoryBytes());
        return environment;
    }
}
