package io.slurmgateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Asks {@code ps}, independently of the gateway's own process code, whether a process still executes. */
public final class Processes {

    private Processes() {}

    /** True unless the process is gone or a zombie (dead, not yet reaped). */
    public static boolean isRunning(long pid) {
        try {
            Process ps = new ProcessBuilder("ps", "-o", "stat=", "-p", Long.toString(pid))
                    .redirectErrorStream(true)
                    .start();
            String state = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            ps.waitFor();
            return !state.isEmpty() && !state.startsWith("Z") && !state.startsWith("X");
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }
}
