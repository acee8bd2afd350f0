package io.slurmgateway.slurm;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BinaryOperator;
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

    /** The fields of {@link SlurmClient#ACCOUNTING_FORMAT}, Reason last since it is free text. */
    private static final int ACCOUNTING_FIELDS = 11;

    /**
     * {@code sacct --parsable2 --noheader} lines in {@link SlurmClient#ACCOUNTING_FORMAT}, by job id: the job line
     * joined with its batch step's state and exit code, and with the largest MaxRSS of its steps (the job line has
     * none).
     */
    static Map<String, AccountingRecord> accounting(String stdout) {
        Map<String, AccountingRecord> jobs = new LinkedHashMap<>();
        Map<String, String[]> steps = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            String[] fields = line.split("\\|", ACCOUNTING_FIELDS);
            if (fields.length < ACCOUNTING_FIELDS || fields[0].isEmpty()) {
                continue;
            }
            String id = fields[0];
            int dot = id.indexOf('.');
            if (dot > 0) {
                steps.put(id, fields);
            } else if (id.chars().allMatch(Character::isDigit)) {
                // a reused job id (after a controller state wipe) appears twice; sacct lists the newest last
                jobs.put(
                        id,
                        new AccountingRecord(
                                id, fields[1], SlurmExitCode.parse(fields[2]), fields[10], null, null, usage(fields)));
            }
        }
        steps.forEach((stepId, fields) -> {
            String jobId = stepId.substring(0, stepId.indexOf('.'));
            jobs.computeIfPresent(jobId, (key, job) -> job.withStepMaxRss(bytes(fields[5])));
            if (stepId.endsWith(".batch")) {
                jobs.computeIfPresent(jobId, (key, job) -> job.withBatch(fields[1], SlurmExitCode.parse(fields[2])));
            }
        });
        return jobs;
    }

    private static JobUsage usage(String[] fields) {
        return new JobUsage(
                seconds(fields[3]) == null ? null : Math.round(seconds(fields[3])),
                seconds(fields[4]),
                bytes(fields[5]),
                integer(fields[6]),
                integer(fields[7]),
                memory(fields[8], fields[9]),
                gpus(fields[9]));
    }

    /**
     * {@code sstat --parsable2 --noheader --allsteps} lines in {@link SlurmClient#LIVE_USAGE_FORMAT}, by job id: the
     * current memory and CPU time summed over the job's running steps (each already summed over its tasks), and the
     * largest peak of any one task.
     */
    static Map<String, LiveSample> liveUsage(String stdout, Instant sampledAt) {
        Map<String, LiveSample> jobs = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            String[] fields = line.strip().split("\\|", -1);
            Matcher step = STEP_ID.matcher(fields[0]);
            if (fields.length != 3 || !step.matches()) {
                continue;
            }
            Map<String, String> now = tres(fields[2]);
            LiveSample sample = new LiveSample(
                    sampledAt,
                    bytes(now.getOrDefault("mem", "")),
                    bytes(fields[1]),
                    seconds(now.getOrDefault("cpu", "")));
            if (sample.rssBytes() != null || sample.maxRssBytes() != null || sample.cpuSeconds() != null) {
                jobs.merge(step.group(1), sample, SlurmOutputParser::combine);
            }
        }
        return jobs;
    }

    /** A step of a job, {@code 42.batch} or {@code 42.0}, or of a heterogeneous job's component, {@code 42+1.0}. */
    private static final Pattern STEP_ID = Pattern.compile("(\\d+)(?:\\+\\d+)?\\.[A-Za-z0-9_]+");

    /** Two steps of one job: their current memory and CPU time add up, and the larger peak counts. */
    private static LiveSample combine(LiveSample one, LiveSample other) {
        return new LiveSample(
                one.sampledAt(),
                either(one.rssBytes(), other.rssBytes(), Long::sum),
                either(one.maxRssBytes(), other.maxRssBytes(), Math::max),
                either(one.cpuSeconds(), other.cpuSeconds(), Double::sum));
    }

    /** {@code both} of two values, or the one that is not null. */
    private static <T> T either(T one, T other, BinaryOperator<T> both) {
        return one == null ? other : other == null ? one : both.apply(one, other);
    }

    /** A TRES list such as {@code cpu=00:00:05,energy=0,mem=11156K}, by name. */
    private static Map<String, String> tres(String list) {
        Map<String, String> values = new HashMap<>();
        for (String entry : list.split(",")) {
            int equals = entry.indexOf('=');
            if (equals > 0) {
                values.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
        }
        return values;
    }

    /** A sacct duration, {@code [D-][HH:]MM:SS[.fff]}, in seconds; null when empty or unreadable. */
    static Double seconds(String duration) {
        Matcher matcher = DURATION.matcher(duration.strip());
        if (!matcher.matches()) {
            return null;
        }
        double seconds = Double.parseDouble(matcher.group(4)) + 60 * Double.parseDouble(matcher.group(3));
        if (matcher.group(2) != null) {
            seconds += 3600 * Double.parseDouble(matcher.group(2));
        }
        if (matcher.group(1) != null) {
            seconds += 86400 * Double.parseDouble(matcher.group(1));
        }
        return seconds;
    }

    private static final Pattern DURATION = Pattern.compile("(?:(\\d+)-)?(?:(\\d+):)?(\\d+):(\\d+(?:\\.\\d+)?)");

    /** ReqMem as sacct writes it ({@code 400M}; older versions add n or c, per node or CPU); it has been seen as {@code 16?}. */
    private static final Pattern MEMORY = Pattern.compile("\\d+(?:\\.\\d+)?[KMGTP]?[nc]?");

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)([KMGTP]?)");

    /** A sacct size such as {@code 215832K} or {@code 1.5G} (powers of 1024), in bytes; null when empty. */
    static Long bytes(String size) {
        Matcher matcher = SIZE.matcher(size.strip());
        if (!matcher.matches()) {
            return null;
        }
        int power = "KMGTP".indexOf(matcher.group(2)) + 1; // 0 for no suffix
        return Math.round(Double.parseDouble(matcher.group(1))
                * Math.pow(1024, matcher.group(2).isEmpty() ? 0 : power));
    }

    private static Integer integer(String value) {
        return value.strip().matches("\\d{1,9}") ? Integer.valueOf(value.strip()) : null;
    }

    private static final Pattern MEMORY_TRES = Pattern.compile("(?:^|,)mem=([^,]+)");

    /**
     * ReqMem when sacct wrote a size there; else the memory of AllocTRES, which is what the request was granted (on the
     * rig, sacct has written ReqMem as {@code 16?} for a job whose AllocTRES said {@code mem=50M}).
     */
    private static String memory(String requested, String tres) {
        if (MEMORY.matcher(requested).matches()) {
            return requested;
        }
        Matcher allocated = MEMORY_TRES.matcher(tres);
        return allocated.find() && MEMORY.matcher(allocated.group(1)).matches() ? allocated.group(1) : null;
    }

    private static final Pattern GPU_TRES = Pattern.compile("(?:^|,)gres/gpu=(\\d+)(?:,|$)");

    /** The GPU count of an AllocTRES list ({@code cpu=2,mem=4G,node=1,gres/gpu=2}); null when it has none. */
    static Integer gpus(String tres) {
        Matcher matcher = GPU_TRES.matcher(tres);
        return matcher.find() ? Integer.valueOf(matcher.group(1)) : null;
    }
}
