package io.slurmgateway.slurm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Job ids listed in command lines that stay under what one remote command may be: the whole line, base64-encoded
 * (a third longer), is one argument of the login shell and of {@code /bin/sh -c}, which Linux caps at 128 KiB.
 */
final class JobIdLists {

    /**
     * Well below the 128 KiB Linux allows one argument, which is what a whole remote command line is to the login
     * shell once encoded: with quotes (two bytes per word) and base64 (four bytes for three), a listing of this size
     * still leaves room to spare (checked by JobIdListsTest).
     */
    static final int MAX_LISTED_ARGUMENT = 48 * 1024;

    private JobIdLists() {}

    /** Whether all of {@code jobIds}, comma-separated, fit in one command line. */
    static boolean fitInOne(Collection<String> jobIds) {
        return String.join(",", jobIds).length() <= MAX_LISTED_ARGUMENT;
    }

    /** Job ids in batches whose listing stays under {@link #MAX_LISTED_ARGUMENT}. */
    static List<List<String>> batches(Collection<String> jobIds) {
        List<List<String>> batches = new ArrayList<>();
        List<String> batch = new ArrayList<>();
        int length = 0;
        for (String jobId : jobIds) {
            if (!batch.isEmpty() && length + jobId.length() + 1 > MAX_LISTED_ARGUMENT) {
                batches.add(batch);
                batch = new ArrayList<>();
                length = 0;
            }
            batch.add(jobId);
            length += jobId.length() + 1;
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }
}
