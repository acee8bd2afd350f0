package io.slurmgateway.host;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to reach, verify, log in to and use one SSH host: what an {@link SshCommandRunner} needs, and nothing else. The
 * key is referred to by its path, never held, so printing these settings reveals no secret.
 *
 * @param propertyPrefix where these settings are configured (for example {@code gateway.clusters.rig}), so that every
 *     message about them names the property to fix
 * @param host the host name or address
 * @param port its SSH port
 * @param user the account to log in as
 * @param privateKey an OpenSSH private key file that logs {@code user} in
 * @param privateKeyPassphraseFile a file whose first line is the key's passphrase; null for a key without one
 * @param knownHosts an OpenSSH known_hosts file holding the host's key; or null
 * @param hostKeyFingerprint the host key pinned by its {@code SHA256:} fingerprint; or null
 * @param acceptAnyHostKey skips host key verification; only for throw-away test setups
 * @param jumpHost a bastion the connection goes through; or null
 * @param poolSize how many connections are kept open at most
 * @param channelsPerConnection how many commands run at once on one connection
 * @param connectTimeout the longest wait for a connection to be established and authenticated
 * @param commandTimeout the longest any one command may run before it is abandoned
 * @param channelWaitTimeout the longest a command waits for a free channel when all are busy
 * @param keepAlive the interval of keep-alive messages on idle connections
 * @param minConnectInterval the least time between opening two new connections
 * @param reconnectBackoff the wait after a failed connection attempt; it doubles with each further failure
 * @param maxReconnectBackoff the longest wait between connection attempts
 * @param maxCommandOutputBytes the most one command may write to stdout or stderr
 */
public record SshSettings(
        String propertyPrefix,
        String host,
        int port,
        String user,
        Path privateKey,
        Path privateKeyPassphraseFile,
        Path knownHosts,
        String hostKeyFingerprint,
        boolean acceptAnyHostKey,
        JumpHost jumpHost,
        int poolSize,
        int channelsPerConnection,
        Duration connectTimeout,
        Duration commandTimeout,
        Duration channelWaitTimeout,
        Duration keepAlive,
        Duration minConnectInterval,
        Duration reconnectBackoff,
        Duration maxReconnectBackoff,
        long maxCommandOutputBytes) {

    /** A bastion host: how to reach it, verify it and log in to it. */
    public record JumpHost(
            String host,
            int port,
            String user,
            Path privateKey,
            Path privateKeyPassphraseFile,
            Path knownHosts,
            String hostKeyFingerprint) {}
}
