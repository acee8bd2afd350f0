package io.slurmgateway.slurm;

/** A request for the bytes of a remote file from an offset, and its answer. */
public record LogRead(String path, long offset, int maxBytes) {

    /** What was read: {@code bytes} from the requested offset; {@code missing} when the file does not exist (yet). */
    public record Result(LogRead request, byte[] bytes, boolean missing) {}
}
