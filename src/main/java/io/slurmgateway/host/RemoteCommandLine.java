package io.slurmgateway.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * What is sent to a login node for one command, and how its output is taken back. sshd hands the line to the user's
 * login shell, which may be csh or tcsh (they reject a newline inside quotes) and whose profile may print banners. So
 * the login shell only ever sees base64 and a fixed text that means the same to every shell: it execs
 * {@code /bin/sh}, which decodes the real line, prints a marker line on stdout and stderr, and execs the command under
 * {@code timeout --signal=KILL}, so that the command ends on the cluster once the gateway has given up on it.
 * Whatever the profile printed comes before the marker and is dropped.
 *
 * @param line the text sent to sshd
 * @param marker the line that precedes the command's own output on stdout and stderr
 */
public record RemoteCommandLine(String line, String marker) {

    /**
     * The most one argument of a process may be on Linux (MAX_ARG_STRLEN): the sent line is one argument of the login
     * shell, and nearly all of it again of {@code /bin/sh -c}.
     */
    public static final int MAX_LINE = 128 * 1024;

    /** How much of what a failed login shell printed goes into the error. */
    private static final int EXCERPT = 1000;

    /**
     * The line that runs {@code argv} within {@code timeout} on the cluster, or an exception when it would exceed
     * {@link #MAX_LINE}.
     */
    public static RemoteCommandLine of(List<String> argv, Duration timeout) {
        String marker = "--slurm-gateway-output-" + UUID.randomUUID() + "--";
        String quotedMarker = ShellQuoting.quote(marker);
        // bash reads ~/.bashrc when it thinks sshd started it at the top level (SHLVL below 2), and a login bash
        // that execs its one command lowers SHLVL first: a command's own bash -c would print the banners again
        String script = "SHLVL=$((${SHLVL:-0} + 1)); export SHLVL; printf '%s\\n' " + quotedMarker
                + " >&2; printf '%s\\n' " + quotedMarker + "; exec timeout --signal=KILL " + killSeconds(timeout) + " "
                + ShellQuoting.commandLine(argv);
        String encoded = Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_8));
        String line = "exec /bin/sh -c 'eval \"$(echo " + encoded + " | base64 -d)\"'";
        if (line.length() >= MAX_LINE) {
            throw new IllegalArgumentException("the command line of " + argv.get(0) + " would be " + line.length()
                    + " bytes encoded, more than the " + MAX_LINE + " one argument may be");
        }
        return new RemoteCommandLine(line, marker);
    }

    /**
     * The whole seconds {@code timeout} is given: rounded up, so the gateway gives up first and the cluster kills the
     * command within a second after; at least one, since 0 would mean no limit at all.
     */
    static long killSeconds(Duration timeout) {
        return Math.max(1, (timeout.toNanos() + 999_999_999L) / 1_000_000_000L);
    }

    /**
     * The command's result without what the login shell printed before it.
     *
     * @throws IOException when stdout holds no marker: the login shell failed before the command could start
     */
    CommandResult unframe(String program, String cluster, int exitStatus, byte[] stdout, byte[] stderr)
            throws IOException {
        byte[] framing = (marker + "\n").getBytes(StandardCharsets.US_ASCII);
        int out = indexOf(stdout, framing);
        int err = indexOf(stderr, framing);
        if (out < 0 || err < 0) {
            String printed = (new String(stderr, StandardCharsets.UTF_8) + "\n"
                            + new String(stdout, StandardCharsets.UTF_8))
                    .strip();
            throw new IOException(
                    program + " did not start on cluster '" + cluster + "': its login shell ended with status "
                            + exitStatus + " before running it, printing: "
                            + (printed.length() > EXCERPT ? printed.substring(0, EXCERPT) + "…" : printed));
        }
        return new CommandResult(
                exitStatus,
                Arrays.copyOfRange(stdout, out + framing.length, stdout.length),
                Arrays.copyOfRange(stderr, err + framing.length, stderr.length));
    }

    private static int indexOf(byte[] bytes, byte[] wanted) {
        outer:
        for (int i = 0; i <= bytes.length - wanted.length; i++) {
            for (int j = 0; j < wanted.length; j++) {
                if (bytes[i + j] != wanted[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
