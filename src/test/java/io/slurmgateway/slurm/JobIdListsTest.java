package io.slurmgateway.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import io.slurmgateway.host.RemoteCommandLine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Batches of job ids and file reads stay under what one remote command may be once it is quoted and base64-encoded
 * for the login shell ({@link RemoteCommandLine}): the largest batch, in the command that quotes it most, fits.
 */
class JobIdListsTest {

    @Test
    void theLargestBatchOfShortIdsFitsTheEncodedLineEvenAsSeparateWords() {
        List<String> jobIds =
                IntStream.range(1000, 40_000).mapToObj(String::valueOf).toList();
        List<List<String>> batches = JobIdLists.batches(jobIds);
        assertThat(batches).hasSizeGreaterThan(1);
        for (List<String> batch : batches) {
            assertThat(String.join(",", batch).length()).isLessThanOrEqualTo(JobIdLists.MAX_LISTED_ARGUMENT);
            List<String> scancel = new ArrayList<>(List.of("scancel"));
            scancel.addAll(batch); // one quoted word per id: the most overhead a listing gets
            assertThat(sentLength(scancel)).isLessThan(RemoteCommandLine.MAX_LINE);
            assertThat(sentLength(List.of("sacct", "--noheader", "--jobs=" + String.join(",", batch))))
                    .isLessThan(RemoteCommandLine.MAX_LINE);
        }
    }

    @Test
    void theLargestBatchOfFileReadsFitsTheEncodedLine() {
        String directory = "/home/a-rather-long-user-name/slurm-gateway/" + "d".repeat(200) + "/";
        List<LogRead> reads = IntStream.range(0, 2_000)
                .mapToObj(i -> new LogRead(directory + i + "/stdout.log", Long.MAX_VALUE / 2, Integer.MAX_VALUE))
                .toList();
        List<List<LogRead>> batches = RemoteFileReads.batches(reads);
        assertThat(batches).hasSizeGreaterThan(1);
        for (List<LogRead> batch : batches) {
            assertThat(sentLength(RemoteFileReads.command(batch))).isLessThan(RemoteCommandLine.MAX_LINE);
        }
    }

    private static int sentLength(List<String> argv) {
        return RemoteCommandLine.of(argv, Duration.ofSeconds(60)).line().length();
    }
}
