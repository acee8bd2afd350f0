package io.slurmgateway.clusters;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may run on a cluster, and what they may ask for ({@code gateway.clusters.<name>.access.*}). With no principals
 * and no roles listed, every caller allowed to submit may use the cluster. Grants narrow what a caller may request:
 * the partitions, accounts and QoS allowed to a caller are the union of the grants of its principal and of its roles,
 * and a field is unrestricted when none of those grants lists values for it (or none applies). Values a run does not
 * request (the cluster's defaults) are not checked.
 *
 * @param principals the principals who may use the cluster
 * @param roles the roles whose holders may use the cluster ({@code reader}, {@code submitter}, {@code admin},
 *     {@code local})
 * @param principalGrants what each named principal may request
 * @param roleGrants what the holders of each role may request
 */
public record ClusterAccess(
        @DefaultValue @NotNull Set<String> principals,
        @DefaultValue @NotNull Set<String> roles,
        @DefaultValue @NotNull Map<String, @Valid @NotNull Grant> principalGrants,
        @DefaultValue @NotNull Map<String, @Valid @NotNull Grant> roleGrants) {

    /** Open to every caller who may submit, with no restriction on what it requests. */
    public static final ClusterAccess OPEN = new ClusterAccess(Set.of(), Set.of(), Map.of(), Map.of());

    public ClusterAccess {
        principals = Set.copyOf(principals);
        roles = lowerCase(roles);
        principalGrants = Map.copyOf(principalGrants);
        roleGrants = Map.copyOf(roleGrants);
    }

    /**
     * What may be requested by one grant; an empty list says nothing about that field.
     *
     * @param partitions the partitions that may be requested
     * @param accounts the accounts that may be charged
     * @param qos the qualities of service that may be requested
     */
    public record Grant(
            @DefaultValue @NotNull List<String> partitions,
            @DefaultValue @NotNull List<String> accounts,
            @DefaultValue @NotNull List<String> qos) {}

    /** Why a request is refused: the request field that asked for what is not allowed, and a message. */
    public record Refusal(String field, String message) {}

    /**
     * Why {@code principal}, holding {@code callerRoles} (lower-case role names), may not run this request on the
     * cluster {@code cluster}; empty when it may.
     */
    public Optional<Refusal> refusal(
            String cluster, String principal, Set<String> callerRoles, String partition, String account, String qos) {
        Set<String> held = lowerCase(callerRoles);
        boolean listed = principals.contains(principal) || held.stream().anyMatch(roles::contains);
        if (!(principals.isEmpty() && roles.isEmpty()) && !listed) {
            return Optional.of(new Refusal("cluster", "'" + principal + "' may not run on cluster '" + cluster + "'"));
        }
        List<Grant> grants = new java.util.ArrayList<>();
        Optional.ofNullable(principalGrants.get(principal)).ifPresent(grants::add);
        held.stream().map(roleGrants::get).filter(java.util.Objects::nonNull).forEach(grants::add);
        return check(cluster, principal, "resources.partition", "partition", partition, grants, Grant::partitions)
                .or(() -> check(cluster, principal, "resources.account", "account", account, grants, Grant::accounts))
                .or(() -> check(cluster, principal, "resources.qos", "QoS", qos, grants, Grant::qos));
    }

    private static Optional<Refusal> check(
            String cluster,
            String principal,
            String field,
            String what,
            String requested,
            List<Grant> grants,
            java.util.function.Function<Grant, List<String>> values) {
        if (requested == null) {
            return Optional.empty();
        }
        Set<String> allowed = new LinkedHashSet<>();
        for (Grant grant : grants) {
            allowed.addAll(values.apply(grant)); // a grant with no values for the field says nothing about it
        }
        if (allowed.isEmpty() || allowed.contains(requested)) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(
                field,
                "'" + principal + "' may not use " + what + " '" + requested + "' on cluster '" + cluster
                        + "'; allowed: " + String.join(", ", allowed)));
    }

    private static Set<String> lowerCase(Set<String> names) {
        Set<String> lower = new LinkedHashSet<>();
        names.forEach(name -> lower.add(name.toLowerCase(Locale.ROOT)));
        return Set.copyOf(lower);
    }
}
