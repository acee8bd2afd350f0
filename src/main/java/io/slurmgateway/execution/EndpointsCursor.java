package io.slurmgateway.execution;

import io.slurmgateway.launch.RunSpec;
import io.slurmgateway.runs.RunEndpoints;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How far a run's {@value #FILE} is read: the file where the spark, dask and ray launchers append a {@code NAME URL}
 * line for each address they publish (a Spark UI, a dashboard). Each complete line is published on the run, with an
 * event. The offset lives in memory only: after a restart the file is read again from its start, which publishes
 * nothing twice, since a name at the same address changes nothing. The file lies in the run's directory, where the
 * payload could write too, so only well-formed lines count, and only the first {@value #MAX_BYTES} bytes are read.
 */
public final class EndpointsCursor {

    /** The file in the run's directory. */
    public static final String FILE = "endpoints.log";

    /** How much one read takes at most. */
    public static final int READ_SIZE = 4096;

    private static final int MAX_BYTES = 64 * 1024;
    private static final Pattern LINE = Pattern.compile("(\\S+) (\\S+)");

    private long offset;

    EndpointsCursor() {}

    /** A cursor for a run of {@code launcher}, or null when that launcher publishes nothing. */
    public static EndpointsCursor forLauncher(String launcher) {
        return RunSpec.DEFAULT_LAUNCHER.equals(launcher) ? null : new EndpointsCursor();
    }

    /** Where the next read starts. */
    public long offset() {
        return offset;
    }

    /** Whether there is anything left worth reading. */
    public boolean wantsMore() {
        return offset < MAX_BYTES;
    }

    /**
     * Hands the name and URL of each well-formed complete line of {@code bytes}, read at {@link #offset}, to
     * {@code publish}, and moves past the complete lines.
     */
    public void take(byte[] bytes, BiConsumer<String, String> publish) {
        int end = lastNewline(bytes);
        if (end < 0) {
            return;
        }
        String text = new String(bytes, 0, end + 1, StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            Matcher matcher = LINE.matcher(line);
            if (matcher.matches()
                    && RunEndpoints.NAME.matcher(matcher.group(1)).matches()
                    && RunEndpoints.URL.matcher(matcher.group(2)).matches()) {
                publish.accept(matcher.group(1), matcher.group(2));
            }
        }
        offset += end + 1;
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
