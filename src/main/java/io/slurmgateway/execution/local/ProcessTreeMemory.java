package io.slurmgateway.execution.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * The resident memory of a local run's process tree, read from {@code /proc} the way Slurm's jobacct_gather/linux
 * samples a task: the resident sets of all its processes added up. Each process's own high-water mark ({@code VmHWM})
 * is taken too, so a process that peaked between two samples still counts with its peak.
 */
final class ProcessTreeMemory {

    private static final Path PROC = Path.of("/proc");

    private ProcessTreeMemory() {}

    /**
     * The larger of the tree's resident memory now and the peak of its largest process, in bytes; empty where
     * {@code /proc} does not say (not Linux, or the tree has ended).
     */
    static OptionalLong peakCandidate(ProcessHandle leader) {
        long residentNow = 0;
        long largestPeak = 0;
        boolean measured = false;
        for (ProcessHandle process : LocalProcesses.treeOf(leader)) {
            List<String> status;
            try {
                status = Files.readAllLines(
                        PROC.resolve(Long.toString(process.pid())).resolve("status"));
            } catch (IOException gone) {
                continue; // ended since the tree was listed
            }
            for (String line : status) {
                if (line.startsWith("VmRSS:")) {
                    residentNow += kilobytes(line);
                    measured = true;
                } else if (line.startsWith("VmHWM:")) {
                    largestPeak = Math.max(largestPeak, kilobytes(line));
                }
            }
        }
        return measured ? OptionalLong.of(1024 * Math.max(residentNow, largestPeak)) : OptionalLong.empty();
    }

    /** A {@code /proc/<pid>/status} size line such as {@code VmRSS:	  215832 kB}. */
    private static long kilobytes(String line) {
        String[] parts = line.substring(line.indexOf(':') + 1).strip().split("\\s+");
        try {
            return Long.parseLong(parts[0]);
        } catch (NumberFormatException unreadable) {
            return 0;
        }
    }
}
