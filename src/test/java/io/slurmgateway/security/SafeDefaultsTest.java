package io.slurmgateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.slurmgateway.SlurmGatewayApplication;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What a gateway does when nobody configured its security: it listens on loopback only (checked on the socket the
 * kernel reports, not on the configuration), refuses to be bound elsewhere unless told so, and answers only requests
 * addressed to a loopback name. Each case starts a real gateway on a port the server picks.
 */
class SafeDefaultsTest {

    @Test
    void withoutAuthenticationTheGatewayListensOnLoopbackOnly() throws Exception {
        try (ConfigurableApplicationContext gateway = start()) {
            int port = port(gateway);
            assertThat(listeningAddresses(port)).containsExactly("loopback");
        }
    }

    @Test
    void bindingAnotherAddressWithoutAuthenticationFailsAtStartupNamingTheOptIn() {
        Throwable failure =
                catchThrowable(() -> start("--server.address=0.0.0.0").close());

        assertThat(messages(failure))
                .contains("refusing to listen on 0.0.0.0 without authentication")
                .contains("gateway.security.allow-unauthenticated");
    }

    @Test
    void anOperatorMayOptInToAnUnauthenticatedGatewayOnEveryAddress() throws Exception {
        try (ConfigurableApplicationContext gateway =
                start("--server.address=0.0.0.0", "--gateway.security.allow-unauthenticated=true")) {
            assertThat(listeningAddresses(port(gateway))).containsExactly("any");
        }
    }

    @Test
    void withATokenConfiguredTheGatewayListensWhereItIsToldAndEverywhereByDefault() throws Exception {
        try (ConfigurableApplicationContext gateway = start(
                "--gateway.security.tokens.ops.sha256=" + ApiTokens.digestOf("sgw_test"),
                "--gateway.security.tokens.ops.roles=admin")) {
            assertThat(listeningAddresses(port(gateway))).containsExactly("any");
        }
    }

    @Test
    void anUnauthenticatedGatewayRefusesRequestsAddressedToAnotherName() throws Exception {
        try (ConfigurableApplicationContext gateway = start()) {
            int port = port(gateway);

            String rebound = rawGet(port, "rebind.attacker.example:" + port);
            assertThat(rebound).startsWith("HTTP/1.1 403").contains("urn:slurm-gateway:problem:untrusted-host");
            assertThat(rawGet(port, "localhost:" + port)).startsWith("HTTP/1.1 200");
            assertThat(rawGet(port, "127.0.0.1:" + port)).startsWith("HTTP/1.1 200");
            assertThat(rawGet(port, "[::1]:" + port)).startsWith("HTTP/1.1 200");
        }
    }

    private static ConfigurableApplicationContext start(String... more) {
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.url=jdbc:h2:mem:safe-defaults-" + System.nanoTime(),
                "--gateway.execution.enabled=false",
                "--spring.main.banner-mode=off"));
        arguments.addAll(List.of(more));
        return new SpringApplicationBuilder(SlurmGatewayApplication.class).run(arguments.toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext gateway) {
        return ((WebServerApplicationContext) gateway).getWebServer().getPort();
    }

    /**
     * What the kernel shows listening on {@code port}, in both its IPv4 and IPv6 tables: {@code loopback} for 127.0.0.1,
     * ::1 or ::ffff:127.0.0.1, {@code any} for 0.0.0.0 or ::, else the address.
     */
    private static List<String> listeningAddresses(int port) throws IOException {
        List<String> addresses = new ArrayList<>();
        String wantedPort = String.format(Locale.ROOT, "%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.strip().split("\\s+");
                String[] local = fields[1].split(":");
                if (fields[3].equals("0A") && local[1].equals(wantedPort)) { // 0A: LISTEN
                    InetAddress address = InetAddress.getByAddress(kernelOrder(local[0]));
                    addresses.add(
                            address.isAnyLocalAddress()
                                    ? "any"
                                    : address.isLoopbackAddress() ? "loopback" : address.getHostAddress());
                }
            }
        }
        return addresses;
    }

    /** An address as /proc/net prints it: hex, each 32-bit word in this (little-endian) machine's byte order. */
    private static byte[] kernelOrder(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = (word * 4 + (3 - i)) * 2;
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        return bytes;
    }

    /** A GET of the runs list with a Host header of our choosing, which Java's HTTP client does not allow. */
    private static String rawGet(int port, String host) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/runs HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            all.append(cause.getMessage()).append('\n');
        }
        return all.toString();
    }
}
