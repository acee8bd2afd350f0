package io.slurmgateway.launch;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code launcherOptions} of the ray launcher: the payload is a Python program that connects to the run's cluster. */
@Schema(name = "RayOptions", description = "launcherOptions of \"launcher\": \"ray\"; the payload is Python")
public record RayOptions(
        @Schema(description = "Object store memory of each node, like 4G; default: Ray's own choice")
                String objectStoreMemory,
        @Schema(description = "GPUs each node offers Ray, 0 to 64; default: Ray's own detection") Integer gpusPerNode,
        @Schema(description = "Extra arguments of the head's ray start, each one argument") List<String> headArgs,
        @Schema(description = "Extra arguments of each worker's ray start, each one argument") List<String> workerArgs,
        @Schema(
                        description =
                                "Shell lines run on every node before ray start (module loads and the like); they run as"
                                        + " a script of their own, like an inline payload")
                List<String> preStart,
        @Schema(description = ClusterOptions.HEAD_TIMEOUT) Integer headTimeout,
        @Schema(description = ClusterOptions.REGISTRATION_TIMEOUT) Integer registrationTimeout,
        @Schema(description = ClusterOptions.NETWORK_INTERFACE) String networkInterface) {

    private static final Set<String> KNOWN =
            ClusterOptions.withCommon("objectStoreMemory", "gpusPerNode", "headArgs", "workerArgs", "preStart");

    public RayOptions {
        headArgs = headArgs == null ? List.of() : List.copyOf(headArgs);
        workerArgs = workerArgs == null ? List.of() : List.copyOf(workerArgs);
        preStart = preStart == null ? List.of() : List.copyOf(preStart);
    }

    /** The options with the object store memory in bytes, as {@code ray start} takes it. */
    record Read(RayOptions options, Long objectStoreBytes) {}

    static Read read(Map<String, Object> options, List<SpecViolation> found) {
        OptionReader reader = new OptionReader("ray", options, KNOWN, found);
        Long objectStore = reader.size("objectStoreMemory");
        return new Read(
                new RayOptions(
                        objectStore == null ? null : (String) options.get("objectStoreMemory"),
                        reader.integer("gpusPerNode", 0, 64),
                        reader.textList("headArgs", 64),
                        reader.textList("workerArgs", 64),
                        reader.textList("preStart", 256),
                        reader.integer("headTimeout", 1, ClusterOptions.MAX_TIMEOUT),
                        reader.integer("registrationTimeout", 1, ClusterOptions.MAX_TIMEOUT),
                        reader.text("networkInterface", ClusterOptions.INTERFACE, ClusterOptions.INTERFACE_WORDS)),
                objectStore);
    }
}
