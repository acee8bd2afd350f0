package io.slurmgateway.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.slurmgateway.clusters.ClusterIdentity;
import io.slurmgateway.clusters.ClusterProperties;
import io.slurmgateway.support.TestFiles;
import io.slurmgateway.support.TestSshServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The SSH host against a real SSH server (embedded Apache MINA SSHD): pooling, waiting, reconnecting, timeouts. */
class SshCommandRunnerTest {

    @TempDir
    Path directory;

    private final KeyPair hostKey = TestSshServer.newHostKey();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final ExecutorService readers = SshCommandRunner.outputReaders(64);
    private Path clientKey;
    private TestSshServer server;

    @BeforeEach
    void startServer() throws Exception {
        clientKey = TestSshServer.clientKey(directory);
        server = TestSshServer.start(0, hostKey, Path.of(clientKey + ".pub"));
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        server.close();
        readers.shutdownNow();
    }

    @Test
    void commandsShareOnePooledConnection() throws Exception {
        SshCommandRunner runner = runner(Map.of());
        for (int i = 0; i < 20; i++) {
            CommandResult result = runner.execute(List.of("echo", "call " + i));
            assertThat(result.exitStatus()).isZero();
            assertThat(result.stdoutText()).isEqualTo("call " + i + "\n");
        }
        assertThat(runner.connectionsOpened()).isEqualTo(1);
        assertThat(server.sessionsCreated).hasValue(1);
    }

    @Test
    void argumentsArriveVerbatimAndNeverRunAsShellText() throws Exception {
        SshCommandRunner runner = runner(Map.of());
        Path canary = directory.resolve("canary");
        List<String> hostile = List.of(
                "'; touch " + canary + "; '",
                "$(touch " + canary + ")",
                "`touch " + canary + "`",
                "a\nb; touch " + canary,
                "\\'\"$HOME\"",
                "* ? [a-z] ~ !! & | > <",
                "");
        for (String value : hostile) {
            CommandResult result = runner.execute(List.of("printf", "%s", value));
            assertThat(result.stdoutText()).isEqualTo(value);
        }
        assertThat(canary).doesNotExist();
    }

    @Test
    void failingCommandsReportStatusAndStderr() throws Exception {
        CommandResult result = runner(Map.of()).execute(List.of("sh", "-c", "echo oops >&2; exit 3"));
        assertThat(result.exitStatus()).isEqualTo(3);
        assertThat(result.stderrText()).isEqualTo("oops");
    }

    @Test
    void moreConcurrentCommandsThanChannelsWaitInsteadOfFailing() throws Exception {
        SshCommandRunner runner = runner(Map.of("pool-size", "1", "channels-per-connection", "2"));
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<CommandResult>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(callers.submit(() -> runner.execute(List.of("sh", "-c", "sleep 0.3; echo done"))));
            }
            for (Future<CommandResult> call : calls) {
                assertThat(call.get().stdoutText()).isEqualTo("done\n");
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(server.mostOpenChannels.get()).isEqualTo(2);
        assertThat(runner.connectionsOpened()).isEqualTo(1);
    }

    @Test
    void channelsSpreadOverThePoolsConnections() throws Exception {
        SshCommandRunner runner = runner(Map.of("pool-size", "2", "channels-per-connection", "2"));
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<CommandResult>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(callers.submit(() -> runner.execute(List.of("sh", "-c", "sleep 0.5; echo done"))));
            }
            for (Future<CommandResult> call : calls) {
                assertThat(call.get().exitStatus()).isZero();
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(server.mostOpenChannels.get()).isEqualTo(4);
        assertThat(runner.connectionsOpened()).isEqualTo(2);
    }

    @Test
    void newConnectionsAreSpacedOutNeverABurst() throws Exception {
        SshCommandRunner runner =
                runner(Map.of("pool-size", "3", "channels-per-connection", "1", "min-connect-interval", "300ms"));
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try {
            List<Future<CommandResult>> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                calls.add(callers.submit(() -> runner.execute(List.of("sh", "-c", "sleep 1; echo done"))));
            }
            for (Future<CommandResult> call : calls) {
                assertThat(call.get().exitStatus()).isZero();
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(runner.connectionsOpened()).isEqualTo(3);
        List<Long> opened = server.sessionCreatedNanos.stream().sorted().toList();
        for (int i = 1; i < opened.size(); i++) {
            // the server sees each connection at least the interval after the previous one (minus scheduling slack)
            assertThat(Duration.ofNanos(opened.get(i) - opened.get(i - 1))).isGreaterThan(Duration.ofMillis(250));
        }
    }

    @Test
    void reconnectsAfterTheServerRestarts() throws Exception {
        SshCommandRunner runner = runner(Map.of("reconnect-backoff", "100ms", "max-reconnect-backoff", "200ms"));
        assertThat(runner.execute(List.of("echo", "before")).stdoutText()).isEqualTo("before\n");
        int port = server.port();
        server.close();
        server = TestSshServer.start(port, hostKey, Path.of(clientKey + ".pub"));

        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(
                        runner.execute(List.of("echo", "after")).stdoutText())
                .isEqualTo("after\n"));
        assertThat(runner.connectionsOpened()).isEqualTo(2);
    }

    @Test
    void aChangedHostKeyIsRefusedWithAClearError() throws Exception {
        SshCommandRunner runner = runner(Map.of());
        int port = server.port();
        server.close();
        server = TestSshServer.start(port, TestSshServer.newHostKey(), Path.of(clientKey + ".pub"));

        assertThatThrownBy(() -> runner.execute(List.of("echo", "hello")))
                .isInstanceOf(HostKeyRejectedException.class)
                .hasMessageContaining("refusing to talk to cluster 'test'")
                .hasMessageContaining("is not the configured one")
                .hasMessageContaining("gateway.clusters.test.known-hosts");
        assertThat(server.openChannels).hasValue(0);
    }

    @Test
    void aPinnedFingerprintIsCheckedToo() throws Exception {
        String wrong = "SHA256:" + "A".repeat(43);
        SshCommandRunner runner = runner(Map.of("host-key-fingerprint", wrong), false);
        assertThatThrownBy(() -> runner.execute(List.of("true"))).isInstanceOf(HostKeyRejectedException.class);
    }

    @Test
    void reachesTheClusterThroughAJumpHostVerifyingBothKeys() throws Exception {
        KeyPair jumpKey = TestSshServer.newHostKey();
        try (TestSshServer jump = TestSshServer.start(0, jumpKey, Path.of(clientKey + ".pub"))) {
            SshCommandRunner runner = runner(Map.of(
                    "jump-host.host", "127.0.0.1",
                    "jump-host.port", String.valueOf(jump.port()),
                    "jump-host.user", System.getProperty("user.name"),
                    "jump-host.private-key", clientKey.toString(),
                    "jump-host.known-hosts",
                            TestSshServer.knownHosts(directory, jump.port(), jumpKey)
                                    .toString()));
            assertThat(runner.execute(List.of("echo", "via the jump host")).stdoutText())
                    .isEqualTo("via the jump host\n");
            assertThat(jump.sessionsCreated).hasValue(1);
            assertThat(server.sessionsCreated).hasValue(1);

            SshCommandRunner wrongJumpKey = runner(Map.of(
                    "jump-host.host", "127.0.0.1",
                    "jump-host.port", String.valueOf(jump.port()),
                    "jump-host.user", System.getProperty("user.name"),
                    "jump-host.private-key", clientKey.toString(),
                    "jump-host.known-hosts",
                            TestSshServer.knownHosts(directory, jump.port(), hostKey)
                                    .toString()));
            assertThatThrownBy(() -> wrongJumpKey.execute(List.of("true")))
                    .isInstanceOf(HostKeyRejectedException.class);
        }
    }

    @Test
    void aHungCommandTimesOutAndThePoolStaysUsable() throws Exception {
        SshCommandRunner runner = runner(Map.of("command-timeout", "1s"));
        long started = System.nanoTime();
        assertThatThrownBy(() -> runner.execute(List.of("sleep", "30")))
                .isInstanceOf(CommandTimeoutException.class)
                .hasMessageContaining("did not finish within 1000 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
        assertThat(runner.execute(List.of("echo", "still here")).stdoutText()).isEqualTo("still here\n");
    }

    @Test
    void filesTravelBySftpPrivatelyAndAreReadFromAnOffset() throws Exception {
        SshCommandRunner runner = runner(Map.of());
        Path runDirectory = directory.resolve("work/run-1");
        runner.writeDirectory(
                runDirectory.toString(),
                List.of(
                        new FileToWrite("job.sh", "#!/bin/bash\necho hi\n".getBytes(StandardCharsets.UTF_8), true),
                        new FileToWrite("data", "0123456789".getBytes(StandardCharsets.UTF_8), false)));

        assertThat(Files.readString(runDirectory.resolve("job.sh"))).isEqualTo("#!/bin/bash\necho hi\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(runDirectory)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(runDirectory.resolve("job.sh"))))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(runDirectory.resolve("data"))))
                .isEqualTo("rw-------");
        assertThat(new String(runner.readFrom(runDirectory.resolve("data").toString(), 4, 3), StandardCharsets.UTF_8))
                .isEqualTo("456");
        assertThat(runner.readFrom(runDirectory.resolve("absent").toString(), 0, 10))
                .isEmpty();

        // writing again replaces the content and restores private modes
        Files.setPosixFilePermissions(runDirectory, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(runDirectory.resolve("data"), PosixFilePermissions.fromString("rw-rw-rw-"));
        runner.writeDirectory(
                runDirectory.toString(),
                List.of(new FileToWrite("data", "new".getBytes(StandardCharsets.UTF_8), false)));
        assertThat(Files.readString(runDirectory.resolve("data"))).isEqualTo("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(runDirectory)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(runDirectory.resolve("data"))))
                .isEqualTo("rw-------");
    }

    @Test
    void aNewDirectoryIsWrittenWholeIncludingFilesLargerThanOneWrite() throws Exception {
        SshCommandRunner runner = runner(Map.of());
        byte[] large = new byte[100_000];
        new java.util.Random(7).nextBytes(large);
        Path runDirectory = directory.resolve("run-2"); // its parent exists: the pipelined path applies
        runner.writeDirectory(
                runDirectory.toString(),
                List.of(
                        new FileToWrite("payload", large, true),
                        new FileToWrite("empty", new byte[0], false),
                        new FileToWrite("job.sh", "#!/bin/bash\n".getBytes(StandardCharsets.UTF_8), true)));

        assertThat(Files.readAllBytes(runDirectory.resolve("payload"))).isEqualTo(large);
        assertThat(Files.size(runDirectory.resolve("empty"))).isZero();
        assertThat(Files.readString(runDirectory.resolve("job.sh"))).isEqualTo("#!/bin/bash\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(runDirectory)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(runDirectory.resolve("payload"))))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(runDirectory.resolve("empty"))))
                .isEqualTo("rw-------");
    }

    @Test
    void anUploadStreamsMegabytesIntoAPrivateFileByteForByte() throws Exception {
        SshCommandRunner runner = runner(Map.of());
        byte[] content = new byte[5 * 1024 * 1024 + 123]; // not a whole number of writes
        new java.util.Random(5).nextBytes(content);
        Path file = directory.resolve("blob");

        runner.upload(file.toString(), new ByteArrayInputStream(content), content.length);

        assertThat(Files.mismatch(file, Files.write(directory.resolve("expected"), content)))
                .isEqualTo(-1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        runner.upload(file.toString(), new ByteArrayInputStream(content), 10); // the rest of a longer stream is left
        assertThat(Files.readAllBytes(file)).isEqualTo(java.util.Arrays.copyOf(content, 10));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void anUploadWhoseStreamEndsEarlyFailsAndLeavesNoFile() throws Exception {
        SshCommandRunner runner = runner(Map.of());
        Path file = directory.resolve("short");
        assertThatThrownBy(() -> runner.upload(file.toString(), new ByteArrayInputStream(new byte[100_000]), 100_001))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("ended after 100000 of 100001 bytes");
        assertThat(file).doesNotExist();
    }

    @Test
    void aPassphraseProtectedKeyLogsInWithTheFirstLineOfItsPassphraseFile() throws Exception {
        Path encrypted = encryptedClientKey("correct horse battery staple");
        Path passphrase = TestFiles.ownerOnly(directory.resolve("passphrase"), "correct horse battery staple\n");

        SshCommandRunner runner = runner(
                Map.of("private-key", encrypted.toString(), "private-key-passphrase-file", passphrase.toString()));

        assertThat(runner.execute(List.of("echo", "in")).stdoutText()).isEqualTo("in\n");
    }

    @Test
    void aWrongOrMissingPassphraseIsRefusedNamingThePropertyAndNeverThePassphrase() throws Exception {
        Path encrypted = encryptedClientKey("correct horse battery staple");
        Path wrong = TestFiles.ownerOnly(directory.resolve("passphrase"), "tr0ub4dor&3\n");

        SshCommandRunner withWrong =
                runner(Map.of("private-key", encrypted.toString(), "private-key-passphrase-file", wrong.toString()));
        assertThatThrownBy(() -> withWrong.execute(List.of("true")))
                .isInstanceOf(KeyUnusableException.class)
                .hasMessageContaining("gateway.clusters.test.private-key-passphrase-file")
                .hasMessageContaining("does not decrypt it")
                .hasMessageNotContaining("tr0ub4dor")
                .hasMessageNotContaining("correct horse");

        SshCommandRunner without = runner(Map.of("private-key", encrypted.toString()));
        assertThatThrownBy(() -> without.execute(List.of("true")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("needs a passphrase (set gateway.clusters.test.private-key-passphrase-file)");
    }

    /** A client key encrypted with {@code passphrase}, which the test server (restarted for it) admits. */
    private Path encryptedClientKey(String passphrase) throws Exception {
        Path key = directory.resolve("id_encrypted");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-f", key.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(keygen.waitFor()).isZero();
        server.close();
        server = TestSshServer.start(0, hostKey, Path.of(key + ".pub"));
        return key;
    }

    @Test
    void bannersAProfilePrintsOnStdoutAndStderrAreDroppedFromTheOutput() throws Exception {
        restartServerWithSetup("echo 'Welcome to the cluster'; printf 'no newline' ; echo 'MOTD on stderr' >&2; ");
        SshCommandRunner runner = runner(Map.of());
        CommandResult result = runner.execute(List.of("sh", "-c", "echo out; echo err >&2; exit 4"));
        assertThat(result.exitStatus()).isEqualTo(4);
        assertThat(result.stdoutText()).isEqualTo("out\n");
        assertThat(result.stderrText()).isEqualTo("err");
        assertThat(runner.execute(List.of("printf", "%s", "a\nb 'c'")).stdoutText())
                .isEqualTo("a\nb 'c'");
    }

    @Test
    void aLoginShellThatFailsBeforeTheCommandIsReportedWithWhatItPrinted() throws Exception {
        restartServerWithSetup("echo 'profile is broken' >&2; exit 5; ");
        SshCommandRunner runner = runner(Map.of());
        assertThatThrownBy(() -> runner.execute(List.of("echo", "never")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("echo did not start on cluster 'test'")
                .hasMessageContaining("status 5")
                .hasMessageContaining("profile is broken");
    }

    @Test
    void anArgumentOfSixtyFourKibibytesStillFitsTheEncodedLine() throws Exception {
        String big = "x y\n".repeat(64 * 1024 / 4);
        assertThat(runner(Map.of()).execute(List.of("printf", "%s", big)).stdoutText())
                .isEqualTo(big);
        assertThatThrownBy(() -> RemoteCommandLine.of(List.of("printf", "y".repeat(100 * 1024)), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than the 131072 one argument may be");
    }

    @Test
    void anOverrunningCommandIsKilledOnTheHostAndFreesItsReaders() throws Exception {
        ThreadPoolExecutor bounded = (ThreadPoolExecutor) SshCommandRunner.outputReaders(4);
        toClose.add(bounded::shutdownNow);
        SshCommandRunner runner = runner(Map.of("command-timeout", "1s"), true, bounded);
        String marker = "overrun-" + UUID.randomUUID();
        assertThatThrownBy(() -> runner.execute(List.of("sh", "-c", "sleep 60; : " + marker)))
                .isInstanceOf(CommandTimeoutException.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> !running(marker));
        await().atMost(Duration.ofSeconds(20)).until(() -> bounded.getActiveCount() == 0);
        assertThat(bounded.getLargestPoolSize()).isLessThanOrEqualTo(4);
    }

    @Test
    void aCommandFindingNoFreeOutputReaderFailsAtOnceNamingTheSetting() throws Exception {
        ThreadPoolExecutor bounded = (ThreadPoolExecutor) SshCommandRunner.outputReaders(2);
        toClose.add(bounded::shutdownNow);
        SshCommandRunner runner = runner(Map.of(), true, bounded);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<CommandResult> slow = caller.submit(() -> runner.execute(List.of("sh", "-c", "sleep 2; echo done")));
            await().atMost(Duration.ofSeconds(20)).until(() -> bounded.getActiveCount() == 2);
            assertThatThrownBy(() -> runner.execute(List.of("true")))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(HostProperties.SSH_OUTPUT_READERS);
            assertThat(slow.get().stdoutText()).isEqualTo("done\n");
        } finally {
            caller.shutdownNow();
        }
    }

    private void restartServerWithSetup(String setup) throws IOException {
        server.close();
        server = TestSshServer.start(0, hostKey, Path.of(clientKey + ".pub"), setup);
    }

    /** Whether a process whose command line holds {@code marker} runs here, where the test server runs commands. */
    private static boolean running(String marker) throws IOException, InterruptedException {
        Process pgrep = new ProcessBuilder("pgrep", "-f", marker).start();
        return pgrep.waitFor() == 0;
    }

    private SshCommandRunner runner(Map<String, String> overrides) throws Exception {
        return runner(overrides, true);
    }

    private SshCommandRunner runner(Map<String, String> overrides, boolean withKnownHosts) throws Exception {
        return runner(overrides, withKnownHosts, readers);
    }

    private SshCommandRunner runner(Map<String, String> overrides, boolean withKnownHosts, ExecutorService readers)
            throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("c.host", "127.0.0.1");
        settings.put("c.port", String.valueOf(server.port()));
        settings.put("c.user", System.getProperty("user.name"));
        settings.put("c.private-key", clientKey.toString());
        if (withKnownHosts) {
            settings.put(
                    "c.known-hosts",
                    TestSshServer.knownHosts(directory, server.port(), hostKey).toString());
        }
        settings.put("c.min-connect-interval", "0s");
        overrides.forEach((key, value) -> settings.put("c." + key, value));
        ClusterProperties cluster = new Binder(new MapConfigurationPropertySource(settings))
                .bind("c", ClusterProperties.class)
                .get();
        SshCommandRunner runner =
                new SshCommandRunner("test", cluster.ssh("gateway.clusters.test", ClusterIdentity.DEFAULT), readers);
        toClose.add(runner);
        return runner;
    }
}
