package io.slurmgateway.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelListener;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.apache.sshd.server.shell.ProcessShellCommandFactory;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * A real SSH server (Apache MINA SSHD) on a loopback port, running commands with {@code /bin/sh -c} and serving SFTP,
 * that counts the connections and the channels open at once.
 */
public final class TestSshServer implements AutoCloseable {

    private final SshServer server;
    public final AtomicInteger sessionsCreated = new AtomicInteger();
    public final java.util.List<Long> sessionCreatedNanos = new java.util.concurrent.CopyOnWriteArrayList<>();
    public final AtomicInteger openChannels = new AtomicInteger();
    public final AtomicInteger mostOpenChannels = new AtomicInteger();

    private TestSshServer(SshServer server) {
        this.server = server;
    }

    /** Starts a server on {@code port} (0 for any) with the given host key, admitting the keys in authorizedKeys. */
    public static TestSshServer start(int port, KeyPair hostKey, Path authorizedKeys) throws IOException {
        return start(port, hostKey, authorizedKeys, "");
    }

    /**
     * Starts a server like {@link #start(int, KeyPair, Path)} that runs {@code setup} (shell text, e.g. exporting a
     * variable) before every command, as a login node's profile would.
     */
    public static TestSshServer start(int port, KeyPair hostKey, Path authorizedKeys, String setup) throws IOException {
        SshServer server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(port);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPublickeyAuthenticator(new AuthorizedKeysAuthenticator(authorizedKeys));
        ProcessShellCommandFactory commands = new ProcessShellCommandFactory();
        server.setCommandFactory(
                setup.isEmpty() ? commands : (channel, command) -> commands.createCommand(channel, setup + command));
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        server.setForwardingFilter(AcceptAllForwardingFilter.INSTANCE); // so that it can serve as a jump host
        TestSshServer test = new TestSshServer(server);
        server.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                test.sessionsCreated.incrementAndGet();
                test.sessionCreatedNanos.add(System.nanoTime());
            }
        });
        server.addChannelListener(new ChannelListener() {
            @Override
            public void channelOpenSuccess(Channel channel) {
                int open = test.openChannels.incrementAndGet();
                test.mostOpenChannels.accumulateAndGet(open, Math::max);
            }

            @Override
            public void channelClosed(Channel channel, Throwable reason) {
                test.openChannels.decrementAndGet();
            }
        });
        server.start();
        return test;
    }

    public int port() {
        return server.getPort();
    }

    public static KeyPair newHostKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** A known_hosts file that names {@code hostKey} as the key of 127.0.0.1 on {@code port}. */
    public static Path knownHosts(Path directory, int port, KeyPair hostKey) throws IOException {
        return Files.writeString(
                directory.resolve("known_hosts-" + port + "-" + System.nanoTime()),
                "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(hostKey.getPublic()) + "\n");
    }

    /** A new client key pair made by ssh-keygen: returns the private key; its .pub file is the authorized key. */
    public static Path clientKey(Path directory) throws IOException, InterruptedException {
        Path key = directory.resolve("id_ecdsa");
        Process keygen = new ProcessBuilder(
                        "ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-f", key.toString())
                .redirectErrorStream(true)
                .start();
        if (keygen.waitFor() != 0) {
            throw new IOException(
                    "ssh-keygen failed: " + new String(keygen.getInputStream().readAllBytes()));
        }
        return key;
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }
}
