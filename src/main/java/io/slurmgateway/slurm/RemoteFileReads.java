package io.slurmgateway.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Many file reads in as few remote commands as fit under the argument limit (about 200 files per command): the
 * commands run {@code read-files.sh} beside this class, which frames each file's bytes with their count.
 */
final class RemoteFileReads {

    /** The script each read command runs, from the resource file, so that it is read and tested as a script. */
    static final String SCRIPT = StagedFiles.script("read-files.sh");

    private RemoteFileReads() {}

    /** The commands that read {@code reads}, in order, each as many of them as fit. */
    static List<List<LogRead>> batches(List<LogRead> reads) {
        List<List<LogRead>> batches = new ArrayList<>();
        int from = 0;
        while (from < reads.size()) {
            int length = SCRIPT.length();
            int to = from;
            while (to < reads.size() && (to == from || length < JobIdLists.MAX_LISTED_ARGUMENT)) {
                length += reads.get(to++).path().length() + 48; // quotes, spaces and the two numbers
            }
            batches.add(reads.subList(from, to));
            from = to;
        }
        return batches;
    }

    /** The command that reads one batch. */
    static List<String> command(List<LogRead> batch) {
        List<String> command = new ArrayList<>(List.of("bash", "-c", SCRIPT, "gateway-log-read"));
        for (LogRead read : batch) {
            command.add(read.path());
            command.add(String.valueOf(read.offset()));
            command.add(String.valueOf(read.maxBytes()));
        }
        return command;
    }

    /** What one command's output says of each read of its batch. */
    static List<LogRead.Result> results(List<LogRead> batch, byte[] output) throws IOException {
        List<LogRead.Result> results = new ArrayList<>(batch.size());
        int position = 0;
        for (LogRead read : batch) {
            int newline = indexOf(output, (byte) '\n', position);
            if (newline < 0) {
                throw new IOException("truncated output while reading " + read.path());
            }
            String[] header = new String(output, position, newline - position, StandardCharsets.US_ASCII)
                    .strip()
                    .split(" ");
            if (header.length != 2) {
                throw new IOException("unexpected output while reading " + read.path());
            }
            long length = Long.parseLong(header[0]);
            long size = Long.parseLong(header[1]);
            position = newline + 1;
            if (length < 0) {
                results.add(new LogRead.Result(read, new byte[0], true, -1));
                continue;
            }
            if (position + length > output.length) {
                throw new IOException("truncated output while reading " + read.path());
            }
            byte[] bytes = Arrays.copyOfRange(output, position, position + (int) length);
            position += (int) length;
            results.add(new LogRead.Result(read, bytes, false, size));
        }
        return results;
    }

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
