package io.slurmgateway.support;

import static org.awaitility.Awaitility.await;

import io.slurmgateway.SlurmGatewayApplication;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A gateway in a JVM of its own, started from the tests' class path, that a test can {@code kill -9}: the real
 * process, with its own log file, on the port it reports (it is started with {@code --server.port=0}).
 */
public final class GatewayProcess implements AutoCloseable {

    private static final Pattern STARTED = Pattern.compile("Tomcat started on port (\\d+)");
    private static final Duration STARTUP = Duration.ofSeconds(120);

    private final Process process;
    private final Path log;
    private final int port;

    private GatewayProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts a gateway with these arguments and waits until it serves HTTP. */
    public static GatewayProcess start(Path log, List<String> arguments) throws IOException {
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes")) // the tests' logback-test.xml is not the product's
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                classpath,
                SlurmGatewayApplication.class.getName(),
                "--server.port=0"));
        command.addAll(arguments);
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long from = Files.size(log);
        int[] port = new int[1];
        try {
            await().atMost(STARTUP).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the gateway exited " + process.exitValue() + "; see " + log);
                }
                // only what this start wrote: several starts may append to one log
                Matcher started = STARTED.matcher(Files.readString(log).substring((int) from));
                if (started.find()) {
                    port[0] = Integer.parseInt(started.group(1));
                }
                return port[0] > 0;
            });
        } catch (RuntimeException failed) {
            process.destroyForcibly();
            throw failed;
        }
        return new GatewayProcess(process, log, port[0]);
    }

    public int port() {
        return port;
    }

    public GatewayClient client() {
        return new GatewayClient(port);
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** {@code kill -9}: the process ends at once, with nothing flushed, closed or released. */
    public void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /** A graceful stop (SIGTERM), as an orchestrator does in a rolling restart. */
    public void stop() {
        process.destroy();
        waitFor();
    }

    /**
     * The value of a counter or gauge in the Prometheus scrape, summed over the series whose labels include all of
     * {@code labels} (each {@code name="value"}); 0 when there is none.
     */
    public double metric(String name, String... labels) {
        String scrape = client().get("/actuator/prometheus").body();
        double sum = 0;
        for (String line : scrape.lines().toList()) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                boolean matches = Arrays.stream(labels).allMatch(line::contains);
                if (matches) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return sum;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    private void waitFor() {
        try {
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while waiting for the gateway to end"));
        }
    }
}
