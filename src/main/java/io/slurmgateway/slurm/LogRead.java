package io.slurmgateway.slurm;

/** A request for the bytes of a remote file from an offset, and its answer. */
public record LogRead(String path, long offset, int maxBytes) {

    /**
     * What was read: {@code bytes} from the requested offset; {@code missing} when the file does not exist (yet);
     * {@code size} the file's size when it was read (-1 when missing): below the offset when the file was truncated,
     * as Slurm does to a requeued job's output.
     */
    public record Result(LogRead request, byte[] bytes, boolean missing, long size) {

        /** Whether the file is shorter than where the read started: it was truncated and rewritten from its start. */
        public boolean truncated() {
            return !missing && size < request.offset();
        }
    }
}
