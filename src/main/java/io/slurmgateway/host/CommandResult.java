package io.slurmgateway.host;

import java.nio.charset.StandardCharsets;

/** What a finished command left: its exit status and everything it wrote. */
public record CommandResult(int exitStatus, byte[] stdout, byte[] stderr) {

    public boolean succeeded() {
        return exitStatus == 0;
    }

    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8).strip();
    }
}
