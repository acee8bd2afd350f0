package io.slurmgateway.host;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The one way a value becomes shell text: a single-quoted word, inside which no character is special to a POSIX
 * shell. A single quote itself is closed, escaped and reopened ({@code '\''}). NUL cannot be represented and is
 * refused.
 */
public final class ShellQuoting {

    private ShellQuoting() {}

    public static String quote(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a shell word cannot contain NUL");
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** A command line that runs {@code argv} exactly, each element one word. */
    public static String commandLine(List<String> argv) {
        return argv.stream().map(ShellQuoting::quote).collect(Collectors.joining(" "));
    }
}
