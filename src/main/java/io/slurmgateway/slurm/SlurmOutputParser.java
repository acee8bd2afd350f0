package io.slurmgateway.slurm;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the machine-readable output of sbatch, squeue and sacct in the formats {@link SlurmClient} asks for. */
final class SlurmOutputParser {

    private static final Pattern PARSABLE_JOB_ID = Pattern.compile("(\\d+)(;\\S*)?");

    private SlurmOutputParser() {}

    /** The job id of {@code sbatch --parsable}: {@code 42} or {@code 42;cluster}. */
    static Optional<String> jobIdOf(String sbatchStdout) {
        for (String line : sbatchStdout.split("\n")) {
            Matcher matcher = PARSABLE_JOB_ID.matcher(line.strip());
            if (matcher.matches()) {
                return Optional.of(matcher.group(1));
            }
        }
        return Optional.empty();
    }

    /** {@code squeue --format=%i|%T|%r} lines, by job id. */
    static Map<String, QueueEntry> queue(String stdout) {
        Map<String, QueueEntry> entries = new HashMap<>();
        int start = 0;
        int length = stdout.length();
        while (start < length) {
            int end = stdout.indexOf('\n', start);
            if (end < 0) {
                end = length;
            }
            int firstBar = stdout.indexOf('|', start);
            int secondBar = firstBar < 0 || firstBar >= end ? -1 : stdout.indexOf('|', firstBar + 1);
            if (secondBar > 0 && secondBar < end) {
                String jobId = stdout.substring(start, firstBar);
                entries.put(
                        jobId,
                        new QueueEntry(
                                jobId,
                                stdout.substring(firstBar + 1, secondBar),
                                stdout.substring(secondBar + 1, end).strip()));
            }
            start = end + 1;
        }
        return entries;
    }

    /** {@code sacct --parsable2 --noheader --format=JobID,State,ExitCode,Reason} lines, by job id. */
    static Map<String, AccountingRecord> accounting(String stdout) {
        Map<String, AccountingRecord> jobs = new LinkedHashMap<>();
        Map<String, String[]> batchSteps = new HashMap<>();
        for (String line : stdout.split("\n")) {
            String[] fields = line.split("\\|", -1);
            if (fields.length < 4 || fields[0].isEmpty()) {
                continue;
            }
            String id = fields[0];
            if (id.endsWith(".batch")) {
                batchSteps.put(id.substring(0, id.length() - ".batch".length()), fields);
            } else if (id.chars().allMatch(Character::isDigit)) {
                // a reused job id (after a controller state wipe) appears twice; sacct lists the newest last
                jobs.put(
                        id, new AccountingRecord(id, fields[1], SlurmExitCode.parse(fields[2]), fields[3], null, null));
            }
        }
        batchSteps.forEach((id, fields) ->
                jobs.computeIfPresent(id, (key, job) -> job.withBatch(fields[1], SlurmExitCode.parse(fields[2]))));
        return jobs;
    }
}
