package io.slurmgateway.blobs;

import io.slurmgateway.clusters.ClusterIdentity;
import io.slurmgateway.clusters.ClusterProperties;
import io.slurmgateway.host.CommandRunner;
import io.slurmgateway.host.SshCommandRunner;
import io.slurmgateway.support.TestSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The cache on a login node reached over SSH: the embedded server, whose commands and SFTP run on this machine. */
class HostCacheOverSshTest extends HostCacheTest {

    private final ExecutorService readers = SshCommandRunner.outputReaders(64);
    private TestSshServer server;
    private SshCommandRunner ssh;

    @BeforeEach
    void logIn() throws Exception {
        Path keys = Files.createDirectories(home.resolve("keys"));
        KeyPair hostKey = TestSshServer.newHostKey();
        Path clientKey = TestSshServer.clientKey(keys);
        server = TestSshServer.start(0, hostKey, Path.of(clientKey + ".pub"));
        ClusterProperties cluster = new Binder(new MapConfigurationPropertySource(Map.of(
                        "c.host", "127.0.0.1",
                        "c.port", String.valueOf(server.port()),
                        "c.user", System.getProperty("user.name"),
                        "c.private-key", clientKey.toString(),
                        "c.known-hosts",
                                TestSshServer.knownHosts(keys, server.port(), hostKey)
                                        .toString(),
                        "c.min-connect-interval", "0s")))
                .bind("c", ClusterProperties.class)
                .get();
        ssh = new SshCommandRunner("test", cluster.ssh("gateway.clusters.test", ClusterIdentity.DEFAULT), readers);
    }

    @AfterEach
    void logOut() throws Exception {
        ssh.close();
        server.close();
        readers.shutdownNow();
    }

    @Override
    CommandRunner host() {
        return ssh;
    }
}
