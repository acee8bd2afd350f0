package io.slurmgateway.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code claim-ports.sh} run by bash, as a launcher's job script will run it on each node: concurrent claims never
 * share a port, a port something listens on is skipped, a claim whose holder has ended is taken over and a live one
 * never is, and bad arguments claim nothing. The ports are below Linux's ephemeral range, where nothing of this test
 * binds by chance.
 */
class ClaimPortsScriptTest {

    private static final String SCRIPT;

    static {
        try (InputStream script = ClaimPortsScriptTest.class.getResourceAsStream("claim-ports.sh")) {
            SCRIPT = new String(script.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException failed) {
            throw new IllegalStateException(failed);
        }
    }

    @TempDir
    Path directory;

    private final List<Process> holders = new ArrayList<>();

    @AfterEach
    void stopHolders() {
        holders.forEach(Process::destroy);
    }

    @Test
    void concurrentClaimsNeverShareAPort() throws Exception {
        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            pids.add(holder());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Result>> claims = new ArrayList<>();
        for (long pid : pids) {
            claims.add(pool.submit(() -> claim(23000, 23063, "4", pid)));
        }
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < claims.size(); i++) {
            Result result = claims.get(i).get();
            assertThat(result.status()).as(result.stderr()).isZero();
            List<Integer> claimed = result.ports();
            assertThat(claimed).hasSize(4);
            assertThat(claimed.get(3) - claimed.get(0)).isEqualTo(3); // consecutive
            for (int port : claimed) {
                assertThat(ports.add(port)).as("port %d claimed twice", port).isTrue();
                assertThat(Files.readString(directory.resolve(String.valueOf(port))))
                        .startsWith(pids.get(i) + " ");
            }
        }
        pool.shutdown();
        assertThat(ports).hasSize(32).allMatch(port -> port >= 23000 && port <= 23063);
    }

    @Test
    void aPortSomethingListensOnIsSkipped() throws Exception {
        long pid = holder();
        try (ServerSocket busy = new ServerSocket(23100, 1, InetAddress.getLoopbackAddress())) {
            Result result = claim(23100, 23103, "2", pid);

            assertThat(result.status()).as(result.stderr()).isZero();
            assertThat(result.ports()).containsExactly(23102, 23103);
            assertThat(busy.isBound()).isTrue();
        }
    }

    @Test
    void aClaimWhoseHolderEndedIsTakenOverAndALiveOneNeverIs() throws Exception {
        long live = holder();
        Files.writeString(directory.resolve("23200"), "999999 1\n"); // a process that is gone
        Files.writeString(directory.resolve("23201"), live + " 1\n"); // a pid reused by another process since
        Result takenOver = claim(23200, 23201, "2", holder());
        assertThat(takenOver.status()).as(takenOver.stderr()).isZero();
        assertThat(takenOver.ports()).containsExactly(23200, 23201);

        Result refused = claim(23200, 23201, "2", live);

        assertThat(refused.status()).isEqualTo(3);
        assertThat(refused.stdout()).isEmpty();
        assertThat(refused.stderr()).contains("no 2 free consecutive ports between 23200 and 23201");
    }

    @Test
    void badArgumentsClaimNothing() throws Exception {
        long pid = holder();
        for (String count : List.of("", "0", "-1", "x", "1;touch canary", "$(touch canary)", "65", "99999999")) {
            Result result = claim(23300, 23399, count, pid);
            assertThat(result.status()).as("count '%s'", count).isEqualTo(2);
        }
        assertThat(claim(23300, 23399, "2", 999999).status())
                .as("a holder that does not exist")
                .isEqualTo(2);
        try (var left = Files.list(directory)) {
            assertThat(left).isEmpty();
        }
        assertThat(Path.of("canary")).doesNotExist();
    }

    /** A process that lives until the test ends, to hold claims. */
    private long holder() throws IOException {
        Process process = new ProcessBuilder("sleep", "600").start();
        holders.add(process);
        return process.pid();
    }

    private record Result(int status, String stdout, String stderr) {
        List<Integer> ports() {
            return Arrays.stream(stdout.strip().split(" "))
                    .map(Integer::valueOf)
                    .toList();
        }
    }

    private Result claim(int from, int to, String count, long holder) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", SCRIPT, "claim-ports", count, String.valueOf(holder));
        builder.environment().put("SLURM_GATEWAY_PORTS_DIR", directory.toString());
        builder.environment().put("SLURM_GATEWAY_PORTS_FROM", String.valueOf(from));
        builder.environment().put("SLURM_GATEWAY_PORTS_TO", String.valueOf(to));
        Process process = builder.start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), stdout, stderr);
    }
}
