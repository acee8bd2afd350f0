package io.slurmgateway.launch;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code launcherOptions} of the dask launcher: the payload is a Python program that connects to the run's cluster. */
@Schema(name = "DaskOptions", description = "launcherOptions of \"launcher\": \"dask\"; the payload is Python")
public record DaskOptions(
        @Schema(description = "Threads of each worker, 1 to 1024; default: the node's CPUs") Integer workerThreads,
        @Schema(description = "Memory limit of each worker, like 2G; default: the node's memory") String workerMemory,
        @Schema(description = ClusterOptions.HEAD_TIMEOUT) Integer headTimeout,
        @Schema(description = ClusterOptions.REGISTRATION_TIMEOUT) Integer registrationTimeout,
        @Schema(description = ClusterOptions.NETWORK_INTERFACE) String networkInterface) {

    private static final Set<String> KNOWN = ClusterOptions.withCommon("workerThreads", "workerMemory");

    /** The options with the worker memory in bytes, as the job script takes it. */
    record Read(DaskOptions options, Long workerMemoryBytes) {}

    static Read read(Map<String, Object> options, List<SpecViolation> found) {
        OptionReader reader = new OptionReader("dask", options, KNOWN, found);
        Integer threads = reader.integer("workerThreads", 1, 1024);
        Long memory = reader.size("workerMemory");
        return new Read(
                new DaskOptions(
                        threads,
                        memory == null ? null : (String) options.get("workerMemory"),
                        reader.integer("headTimeout", 1, ClusterOptions.MAX_TIMEOUT),
                        reader.integer("registrationTimeout", 1, ClusterOptions.MAX_TIMEOUT),
                        reader.text("networkInterface", ClusterOptions.INTERFACE, ClusterOptions.INTERFACE_WORDS)),
                memory);
    }
}
