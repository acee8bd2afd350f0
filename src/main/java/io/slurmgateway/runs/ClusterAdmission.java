package io.slurmgateway.runs;

import io.slurmgateway.clusters.Cluster;
import io.slurmgateway.clusters.ClusterAccess;
import io.slurmgateway.clusters.ClusterProperties;
import io.slurmgateway.clusters.ClusterRegistry;
import io.slurmgateway.launch.RunSpec;
import io.slurmgateway.security.Audit;
import io.slurmgateway.security.Caller;
import io.slurmgateway.security.NotPermittedException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Whether a cluster admits a new run of a caller, and as which of its identities the run executes. */
final class ClusterAdmission {

    private final ClusterRegistry clusters;

    ClusterAdmission(ClusterRegistry clusters) {
        this.clusters = clusters;
    }

    /**
     * The cluster identity a Slurm run of {@code caller} executes as (null for a local run), once the cluster admits
     * the caller and what it requests: a cluster may admit only some principals or roles, only some partitions,
     * accounts and QoS for each, and with tenant identities only callers one of them is for.
     */
    String identity(RunSpec spec, Caller caller) {
        if (!RunMode.SLURM.equals(spec.mode())) {
            return null;
        }
        Set<String> roles = caller.roles().stream()
                .map(role -> role.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        Cluster cluster = clusters.find(spec.cluster()).orElseThrow(); // the validator checked that it exists
        ClusterProperties settings = cluster.settings();
        Optional<ClusterAccess.Refusal> refusal = settings.access()
                .refusal(
                        cluster.name(),
                        caller.name(),
                        roles,
                        spec.resources().partition(),
                        spec.resources().account(),
                        spec.resources().qos());
        Optional<String> identity = settings.identityFor(caller.name(), roles);
        if (refusal.isEmpty() && identity.isEmpty()) {
            refusal = Optional.of(new ClusterAccess.Refusal(
                    "cluster",
                    "no identity of cluster '" + cluster.name() + "' is for '" + caller.name()
                            + "', so it may not run there"));
        }
        refusal.ifPresent(refused -> {
            Audit.mutation(caller, "create", null, "refused: " + refused.field());
            throw new NotPermittedException(refused.field(), refused.message());
        });
        return identity.orElseThrow();
    }
}
