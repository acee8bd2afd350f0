package io.slurmgateway.clusters;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** How a cluster's {@link ClusterIdentity identities} are checked at startup and chosen for a run's creator. */
final class Identities {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private Identities() {}

    /** See {@link ClusterProperties#identityFor}; {@code identities} is sorted by name. */
    static Optional<String> resolve(Map<String, ClusterIdentity> identities, String principal, Set<String> roles) {
        if (identities.isEmpty()) {
            return Optional.of(ClusterIdentity.DEFAULT);
        }
        for (Map.Entry<String, ClusterIdentity> identity : identities.entrySet()) {
            if (identity.getValue().principals().contains(principal)) {
                return Optional.of(identity.getKey());
            }
        }
        for (Map.Entry<String, ClusterIdentity> identity : identities.entrySet()) {
            if (roles.stream().anyMatch(role -> identity.getValue().roles().contains(role.toLowerCase(Locale.ROOT)))) {
                return Optional.of(identity.getKey());
            }
        }
        return Optional.empty();
    }

    /**
     * Names that are valid and not {@code default}, a mapping on each, no principal in two identities, key files
     * that only their owner can read, and no identities where the login node is this machine.
     */
    static void check(String prefix, boolean overSsh, Map<String, ClusterIdentity> identities) {
        if (!identities.isEmpty() && !overSsh) {
            throw new IllegalStateException(prefix + ".identities need transport ssh: with transport local every run"
                    + " would execute as the gateway's own user");
        }
        Map<String, String> identityOfPrincipal = new HashMap<>();
        identities.forEach((name, identity) -> {
            String property = prefix + ".identities." + name;
            if (!NAME.matcher(name).matches() || name.equals(ClusterIdentity.DEFAULT)) {
                throw new IllegalStateException(property + ": identity names must match " + NAME.pattern()
                        + " and not be '" + ClusterIdentity.DEFAULT + "'");
            }
            if (identity.principals().isEmpty() && identity.roles().isEmpty()) {
                throw new IllegalStateException(property + " lists no principals and no roles: no run would use it");
            }
            if (identity.workDir().contains("..")) {
                throw new IllegalStateException(property + ".work-dir must not contain '..'");
            }
            for (String principal : identity.principals()) {
                String other = identityOfPrincipal.put(principal, name);
                if (other != null) {
                    throw new IllegalStateException(prefix + ".identities: principal '" + principal
                            + "' is listed by both '" + other + "' and '" + name + "'");
                }
            }
            SecretFiles.checkSecret(property + ".private-key", identity.privateKey());
            SecretFiles.checkSecret(property + ".private-key-passphrase-file", identity.privateKeyPassphraseFile());
        });
    }
}
