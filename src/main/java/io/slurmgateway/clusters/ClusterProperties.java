package io.slurmgateway.clusters;

import io.slurmgateway.host.SshSettings;
import io.slurmgateway.launch.LaunchDefaults;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * One Slurm cluster the gateway submits to through its login node ({@code gateway.clusters.<name>.*}). The settings
 * are flat, as operators write them; {@link #ssh} hands the SSH part to the host module as its own record.
 * @param transport how the gateway reaches the login node: {@code ssh} (the default), or {@code local} when the
 *     gateway runs on the login node itself, so Slurm's commands run and run directories are written on this machine
 *     (the SSH settings below are then not used)
 * @param host the login node's host name or address
 * @param port its SSH port
 * @param user the account jobs are submitted as
 * @param privateKey an OpenSSH private key file that logs {@code user} in; readable by its owner only (mode 0600 or
 *     0400), as OpenSSH demands
 * @param privateKeyPassphraseFile a file holding the passphrase of an encrypted {@code private-key} (its first line);
 *     owner-only like the key. Unset for a key without a passphrase
 * @param knownHosts an OpenSSH known_hosts file holding the login node's host key
 * @param hostKeyFingerprint the login node's host key pinned by its {@code SHA256:} fingerprint, instead of
 *     {@code knownHosts}
 * @param acceptAnyHostKey skips host key verification, which lets anyone on the network path impersonate the
 *     cluster; only for throw-away test setups
 * @param jumpHost a bastion the connection goes through, when the login node is not reachable directly
 * @param poolSize how many SSH connections the gateway keeps open to the cluster at most
 * @param channelsPerConnection how many commands run at once on one connection; keep it below the server's
 *     {@code MaxSessions} (10 by default in OpenSSH)
 * @param connectTimeout the longest wait for a connection to be established and authenticated
 * @param commandTimeout the longest any one remote command may run before it is abandoned
 * @param channelWaitTimeout the longest a command waits for a free channel when all are busy
 * @param keepAlive the interval of SSH keep-alive messages on idle connections
 * @param minConnectInterval the least time between opening two new connections (sites ban bursts)
 * @param reconnectBackoff the wait after a failed connection attempt; it doubles with each further failure
 * @param maxReconnectBackoff the longest wait between connection attempts
 * @param maxCommandOutput the most one remote command may write to stdout or stderr; more fails the command
 * @param workDir the directory on the cluster holding one directory per run; a relative path is under the user's home
 * @param defaultPartition the partition of a run that names none; empty leaves it to Slurm
 * @param defaultTimeLimit the time limit of a run that sets none, in Slurm's syntax
 * @param defaultCpusPerTask CPUs per task of a run that sets none; 0 leaves it to Slurm
 * @param defaultMemory the memory of a run that sets none, like {@code 2G}; empty leaves it to Slurm
 * @param pollInterval how often the cluster's active jobs are polled (one squeue per tick)
 * @param liveUsageInterval how often the memory and CPU time of the cluster's running jobs are sampled (one sstat for
 *     all of them), so that long jobs show what they use now; {@code 0s}, the default, samples nothing
 * @param accountingWait how long a job that squeue shows finished may wait for its accounting record (which carries
 *     the exit code) before the run ends with squeue's state and an unknown exit code
 * @param lostJobTimeout how long a job may be missing from squeue without an ended accounting record before its run
 *     ends FAILED
 * @param submitAttempts how often a submission that failed for a transient reason is tried in all
 * @param submitRetryBackoff the wait before the first retry of such a submission; it doubles with each further try
 * @param housekeeping how the cluster's accounts are swept: strays adopted, orphan jobs cancelled, old run
 *     directories removed ({@link ClusterHousekeeping})
 * @param backpressure how many active runs and submissions a second the cluster takes ({@link ClusterBackpressure})
 * @param cache where environment packs and run files are kept on the cluster, and how much ({@link ClusterCache})
 * @param access who may run on the cluster, and which partitions, accounts and QoS each may request; open by default
 * @param identities one account per tenant, by name ({@link ClusterIdentity}): when any is configured, every run
 *     executes under the identity mapped to its creator, a creator mapped to none may not use the cluster, and
 *     {@code user} and {@code private-key} (optional then) serve only the gateway's own queries, such as sinfo
 * @param launchers where the frameworks of the spark, dask and ray launchers live on the cluster ({@link LaunchDefaults})
 */
public record ClusterProperties(
        @DefaultValue("ssh") @NotNull Transport transport,
        @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank") String host,
        @DefaultValue("22") @Min(1) @Max(65535) int port,
        @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank") String user,
        Path privateKey,
        Path privateKeyPassphraseFile,
        Path knownHosts,
        @Pattern(regexp = "SHA256:[A-Za-z0-9+/]{43}=?", message = "must be an OpenSSH SHA256: fingerprint")
                String hostKeyFingerprint,
        @DefaultValue("false") boolean acceptAnyHostKey,
        @Valid JumpHost jumpHost,
        @DefaultValue("2") @Min(1) @Max(64) int poolSize,
        @DefaultValue("8") @Min(1) @Max(64) int channelsPerConnection,
        @DefaultValue("15s") @NotNull Duration connectTimeout,
        @DefaultValue("60s") @NotNull Duration commandTimeout,
        @DefaultValue("60s") @NotNull Duration channelWaitTimeout,
        @DefaultValue("30s") @NotNull Duration keepAlive,
        @DefaultValue("200ms") @NotNull Duration minConnectInterval,
        @DefaultValue("1s") @NotNull Duration reconnectBackoff,
        @DefaultValue("2m") @NotNull Duration maxReconnectBackoff,
        @DefaultValue("64MB") @NotNull DataSize maxCommandOutput,
        @DefaultValue("slurm-gateway")
                @Pattern(
                        regexp = "[A-Za-z0-9._/~+-]{1,1024}",
                        message = "may contain only letters, digits and . _ / ~ + -")
                String workDir,
        @DefaultValue("") @Pattern(regexp = "[A-Za-z0-9_.-]{0,64}") String defaultPartition,
        @DefaultValue("1:00:00") @Pattern(regexp = "[0-9:-]{1,20}") String defaultTimeLimit,
        @DefaultValue("0") @Min(0) int defaultCpusPerTask,
        @DefaultValue("") @Pattern(regexp = "([1-9][0-9]{0,9}[KMGT]?)?") String defaultMemory,
        @DefaultValue("2s") @NotNull Duration pollInterval,
        @DefaultValue("0s") @NotNull Duration liveUsageInterval,
        @DefaultValue("2m") @NotNull Duration accountingWait,
        @DefaultValue("10m") @NotNull Duration lostJobTimeout,
        @DefaultValue("5") @Min(1) int submitAttempts,
        @DefaultValue("2s") @NotNull Duration submitRetryBackoff,
        @DefaultValue @Valid @NotNull ClusterHousekeeping housekeeping,
        @DefaultValue @Valid @NotNull ClusterBackpressure backpressure,
        @DefaultValue @Valid @NotNull ClusterCache cache,
        @Valid ClusterAccess access,
        @DefaultValue @NotNull Map<String, @Valid @NotNull ClusterIdentity> identities,
        @DefaultValue @Valid @NotNull LaunchDefaults launchers) {

    private static final List<String> KNOWN_ROLES = List.of("reader", "submitter", "admin", "local");

    public ClusterProperties {
        access = access == null ? ClusterAccess.OPEN : access;
        identities = java.util.Collections.unmodifiableMap(new TreeMap<>(identities));
    }

    /** How the gateway reaches a cluster's login node. */
    public enum Transport {
        /** Over SSH, with the settings of this record. */
        SSH,
        /** The login node is this machine: commands run as the gateway's own user. */
        LOCAL
    }

    /**
     * The accounts runs and queries use, by identity name: {@code default} (the cluster's own {@code user}) when it is
     * configured, and each of {@link #identities}.
     */
    public Set<String> accountNames() {
        Set<String> names = new TreeSet<>(identities.keySet());
        if (user != null || transport == Transport.LOCAL) {
            names.add(ClusterIdentity.DEFAULT);
        }
        return names;
    }

    /**
     * The identity runs of {@code principal} execute as: the one listing the principal, else the first (by name)
     * listing one of {@code callerRoles}; {@code default} when the cluster has no identities; empty when no identity
     * is for the caller, who then may not use the cluster.
     */
    public Optional<String> identityFor(String principal, Set<String> callerRoles) {
        return Identities.resolve(identities, principal, callerRoles);
    }

    /** The directory holding the run directories of the account {@code identity}. */
    public String workDirOf(String identity) {
        ClusterIdentity configured = identities.get(identity);
        return configured == null || configured.workDir().isEmpty() ? workDir : configured.workDir();
    }

    /** The SSH settings of the account {@code identity} (one of {@link #accountNames}). */
    public SshSettings ssh(String propertyPrefix, String identity) {
        ClusterIdentity configured = identities.get(identity);
        if (configured == null) {
            return ssh(propertyPrefix, user, privateKey, privateKeyPassphraseFile);
        }
        return ssh(
                propertyPrefix + ".identities." + identity,
                configured.user(),
                configured.privateKey(),
                configured.privateKeyPassphraseFile());
    }

    private SshSettings ssh(String propertyPrefix, String user, Path privateKey, Path privateKeyPassphraseFile) {
        return new SshSettings(
                propertyPrefix,
                host,
                port,
                user,
                privateKey,
                privateKeyPassphraseFile,
                knownHosts,
                hostKeyFingerprint,
                acceptAnyHostKey,
                jumpHost == null
                        ? null
                        : new SshSettings.JumpHost(
                                jumpHost.host(),
                                jumpHost.port(),
                                jumpHost.user(),
                                jumpHost.privateKey(),
                                jumpHost.privateKeyPassphraseFile(),
                                jumpHost.knownHosts(),
                                jumpHost.hostKeyFingerprint()),
                poolSize,
                channelsPerConnection,
                connectTimeout,
                commandTimeout,
                channelWaitTimeout,
                keepAlive,
                minConnectInterval,
                reconnectBackoff,
                maxReconnectBackoff,
                maxCommandOutput.toBytes());
    }

    /**
     * How long an sbatch or sstat may run on the cluster before it is killed there: three quarters of
     * {@code command-timeout}, so that it is dead on the cluster before the gateway abandons the command and retries.
     */
    public Duration killOnClusterAfter() {
        return commandTimeout.multipliedBy(3).dividedBy(4);
    }

    /** A bastion host: how to reach it and how to verify and log in to it. */
    public record JumpHost(
            @NotBlank String host,
            @DefaultValue("22") @Min(1) @Max(65535) int port,
            @NotBlank String user,
            @NotNull Path privateKey,
            Path privateKeyPassphraseFile,
            Path knownHosts,
            @Pattern(regexp = "SHA256:[A-Za-z0-9+/]{43}=?", message = "must be an OpenSSH SHA256: fingerprint")
                    String hostKeyFingerprint) {}

    /**
     * Checks what annotations cannot: files that must exist, and exactly one way of verifying each host key.
     *
     * @param prefix the property prefix of this cluster, so each message names the property to fix
     * @throws IllegalStateException naming the first property that is wrong
     */
    void checkConsistency(String prefix) {
        if (transport == Transport.SSH) {
            checkSsh(prefix);
        }
        if (liveUsageInterval.isNegative()) {
            throw new IllegalStateException(
                    prefix + ".live-usage-interval must not be negative (0s turns sampling off)");
        }
        Set<String> roles = new TreeSet<>(access.roles());
        roles.addAll(access.roleGrants().keySet());
        identities.values().forEach(identity -> roles.addAll(identity.roles()));
        for (String role : roles) {
            if (!KNOWN_ROLES.contains(role.toLowerCase(Locale.ROOT))) {
                throw new IllegalStateException(prefix + ".access: unknown role '" + role + "' (known: "
                        + String.join(", ", KNOWN_ROLES) + ")");
            }
        }
        if (workDir.contains("..")) {
            throw new IllegalStateException(prefix + ".work-dir must not contain '..'");
        }
        Identities.check(prefix, transport == Transport.SSH, identities);
    }

    private void checkSsh(String prefix) {
        for (Map.Entry<String, Object> required : requiredForSsh().entrySet()) {
            if (required.getValue() == null) {
                throw new IllegalStateException(prefix + "." + required.getKey() + " must be set (or " + prefix
                        + ".transport=local, when the gateway runs on the login node)");
            }
        }
        SecretFiles.checkSecret(prefix + ".private-key", privateKey);
        SecretFiles.checkSecret(prefix + ".private-key-passphrase-file", privateKeyPassphraseFile);
        checkHostKeyVerification(prefix, knownHosts, hostKeyFingerprint, acceptAnyHostKey);
        if (jumpHost != null) {
            SecretFiles.checkSecret(prefix + ".jump-host.private-key", jumpHost.privateKey());
            SecretFiles.checkSecret(
                    prefix + ".jump-host.private-key-passphrase-file", jumpHost.privateKeyPassphraseFile());
            checkHostKeyVerification(
                    prefix + ".jump-host", jumpHost.knownHosts(), jumpHost.hostKeyFingerprint(), false);
        }
    }

    private Map<String, Object> requiredForSsh() {
        Map<String, Object> required = new LinkedHashMap<>();
        required.put("host", host);
        // with identities, the cluster's own account is optional
        if (identities.isEmpty() || user != null || privateKey != null) {
            required.put("user", user);
            required.put("private-key", privateKey);
        }
        return required;
    }

    private static void checkHostKeyVerification(
            String prefix, Path knownHosts, String fingerprint, boolean acceptAny) {
        int ways = (knownHosts != null ? 1 : 0) + (fingerprint != null ? 1 : 0) + (acceptAny ? 1 : 0);
        if (ways != 1) {
            throw new IllegalStateException(prefix + ": set exactly one of " + prefix + ".known-hosts, " + prefix
                    + ".host-key-fingerprint"
                    + (prefix.endsWith("jump-host") ? "" : " or " + prefix + ".accept-any-host-key=true"));
        }
        if (knownHosts != null) {
            SecretFiles.checkReadable(prefix + ".known-hosts", knownHosts);
        }
    }
}
