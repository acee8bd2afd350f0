package io.slurmgateway.support;

import io.slurmgateway.host.CommandResult;
import io.slurmgateway.host.CommandRunner;
import io.slurmgateway.host.FileToWrite;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link CommandRunner} that answers commands with output recorded from the rig, for unit tests of the logic that
 * reads it; it never stands in for a real host in a test that claims the host works. It remembers what was asked.
 */
public final class ScriptedHost implements CommandRunner {

    /** Computes the answer to a command; may throw to play a broken connection. */
    public interface Answer {
        CommandResult to(List<String> argv) throws IOException;
    }

    private final Answer answer;
    private final List<List<String>> calls = new CopyOnWriteArrayList<>();

    public ScriptedHost(Answer answer) {
        this.answer = answer;
    }

    /** Answers the commands with these results, in order. */
    public static ScriptedHost answering(CommandResult... results) {
        Iterator<CommandResult> next = new ArrayList<>(List.of(results)).iterator();
        return new ScriptedHost(argv -> next.next());
    }

    public static CommandResult succeeded(String stdout) {
        return new CommandResult(0, stdout.getBytes(StandardCharsets.UTF_8), new byte[0]);
    }

    public static CommandResult failed(String stderr) {
        return new CommandResult(1, new byte[0], stderr.getBytes(StandardCharsets.UTF_8));
    }

    /** The commands asked so far, in order. */
    public List<List<String>> calls() {
        return calls;
    }

    /** The programs asked so far, in order. */
    public List<String> programs() {
        return calls.stream().map(argv -> argv.get(0)).toList();
    }

    /** Paths are taken as they are: a scripted host has no home directory. */
    @Override
    public String absolutePath(String path) {
        return path;
    }

    @Override
    public CommandResult execute(List<String> argv) throws IOException {
        calls.add(List.copyOf(argv));
        return answer.to(argv);
    }

    @Override
    public CommandResult execute(List<String> argv, byte[] stdin) throws IOException {
        return execute(argv); // what came on stdin is not part of the script
    }

    @Override
    public void writeDirectory(String directory, List<FileToWrite> files) {
        throw new UnsupportedOperationException("a scripted host only answers commands");
    }

    @Override
    public void upload(String path, InputStream content, long size) {
        throw new UnsupportedOperationException("a scripted host only answers commands");
    }

    @Override
    public byte[] readFrom(String path, long offset, int maxBytes) {
        throw new UnsupportedOperationException("a scripted host only answers commands");
    }
}
