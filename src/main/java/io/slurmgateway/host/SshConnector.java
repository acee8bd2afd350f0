package io.slurmgateway.host;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.keepalive.KeepAliveRunner;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.DisconnectReason;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import net.schmizz.sshj.transport.verification.PromiscuousVerifier;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens one authenticated SSH connection to a host, through its jump host when it has one, with the host keys verified
 * the configured way, keep-alives on and Nagle's algorithm off. The pool decides when; this decides how.
 */
final class SshConnector {

    private static final Logger log = LoggerFactory.getLogger(SshConnector.class);
    private static final int KEEP_ALIVE_MISSES = 3;
    private static final NoDelaySocketFactory NO_DELAY = new NoDelaySocketFactory();

    /** A connection to the host, and the one to the jump host it goes through, if any. */
    record Connected(SSHClient client, SSHClient jump) {
        void close() {
            closeQuietly(client);
            closeQuietly(jump);
        }
    }

    private final String name;
    private final SshSettings settings;
    private final DefaultConfig config;

    SshConnector(String name, SshSettings settings) {
        this.name = name;
        this.settings = settings;
        this.config = new DefaultConfig();
        config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
    }

    Connected connect() throws IOException {
        SshSettings.JumpHost jump = settings.jumpHost();
        SSHClient jumpClient = null;
        SSHClient client = newClient();
        try {
            verifyHostKeys(client, settings.knownHosts(), settings.hostKeyFingerprint(), settings.acceptAnyHostKey());
            if (jump == null) {
                client.connect(settings.host(), settings.port());
            } else {
                jumpClient = newClient();
                verifyHostKeys(jumpClient, jump.knownHosts(), jump.hostKeyFingerprint(), false);
                jumpClient.connect(jump.host(), jump.port());
                jumpClient.authPublickey(
                        jump.user(),
                        loadKey(jumpClient, jump.privateKey(), jump.privateKeyPassphraseFile(), ".jump-host"));
                client.connectVia(jumpClient.newDirectConnection(settings.host(), settings.port()));
            }
            client.authPublickey(
                    settings.user(), loadKey(client, settings.privateKey(), settings.privateKeyPassphraseFile(), ""));
            // opening a channel or starting a command waits at most as long as a whole command may take
            client.getConnection().setTimeoutMs((int) settings.commandTimeout().toMillis());
            KeepAliveRunner keepAlive = (KeepAliveRunner) client.getConnection().getKeepAlive();
            keepAlive.setKeepAliveInterval(
                    (int) Math.max(1, settings.keepAlive().toSeconds()));
            keepAlive.setMaxAliveCount(KEEP_ALIVE_MISSES);
            log.info("connected to cluster '{}' at {}@{}:{}", name, settings.user(), settings.host(), settings.port());
            return new Connected(client, jumpClient);
        } catch (TransportException rejected) {
            closeQuietly(client);
            closeQuietly(jumpClient);
            if (rejected.getDisconnectReason() == DisconnectReason.HOST_KEY_NOT_VERIFIABLE) {
                throw new HostKeyRejectedException(
                        "refusing to talk to cluster '" + name + "': the host key of " + settings.host() + ":"
                                + settings.port() + " (or its jump host) is not the configured one ("
                                + rejected.getMessage() + "). If the key was changed on purpose, update "
                                + settings.propertyPrefix() + ".known-hosts or .host-key-fingerprint",
                        rejected);
            }
            throw rejected;
        } catch (IOException | RuntimeException failed) {
            closeQuietly(client);
            closeQuietly(jumpClient);
            throw failed;
        }
    }

    /**
     * Loads a private key, decrypting it with the first line of its passphrase file. The passphrase is held only for
     * the call and wiped after it; a wrong or missing one fails with a message naming the properties, never the key.
     */
    private KeyProvider loadKey(SSHClient client, Path key, Path passphraseFile, String jump) throws IOException {
        String property = settings.propertyPrefix() + jump;
        char[] passphrase = passphraseFile == null ? null : firstLine(passphraseFile);
        try {
            KeyProvider provider =
                    passphrase == null ? client.loadKeys(key.toString()) : client.loadKeys(key.toString(), passphrase);
            provider.getPrivate(); // decrypts now, so a wrong passphrase is reported as such rather than as auth
            // failure
            return provider;
        } catch (IOException | RuntimeException unreadable) {
            throw new KeyUnusableException(
                    "the private key " + key + " (" + property + ".private-key) cannot be used: "
                            + (passphraseFile == null
                                    ? "it is unreadable or needs a passphrase (set " + property
                                            + ".private-key-passphrase-file)"
                                    : "the passphrase in " + passphraseFile + " (" + property
                                            + ".private-key-passphrase-file) does not decrypt it, or it is unreadable"),
                    unreadable);
        } finally {
            if (passphrase != null) {
                Arrays.fill(passphrase, '\0');
            }
        }
    }

    /** The first line of a passphrase file; the bytes read are wiped. */
    private static char[] firstLine(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            int end = 0;
            while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
                end++;
            }
            CharBuffer decoded = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes, 0, end));
            char[] line = Arrays.copyOf(decoded.array(), decoded.limit());
            Arrays.fill(decoded.array(), '\0');
            return line;
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private SSHClient newClient() {
        SSHClient client = new SSHClient(config);
        client.setConnectTimeout((int) settings.connectTimeout().toMillis());
        client.setSocketFactory(NO_DELAY);
        return client;
    }

    private void verifyHostKeys(SSHClient client, Path knownHosts, String fingerprint, boolean acceptAny)
            throws IOException {
        if (knownHosts != null) {
            client.addHostKeyVerifier(new OpenSSHKnownHosts(new File(knownHosts.toString())));
        } else if (fingerprint != null) {
            client.addHostKeyVerifier(fingerprint);
        } else if (acceptAny) {
            log.warn(
                    "{}.accept-any-host-key=true: the host key of {} is NOT verified",
                    settings.propertyPrefix(),
                    settings.host());
            client.addHostKeyVerifier(new PromiscuousVerifier());
        }
    }

    static void closeQuietly(SSHClient client) {
        if (client != null) {
            try {
                client.close();
            } catch (IOException | RuntimeException ignored) {
                // closing a connection that is already broken
            }
        }
    }
}
