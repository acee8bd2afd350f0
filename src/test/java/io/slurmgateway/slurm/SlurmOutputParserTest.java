package io.slurmgateway.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing lines recorded from the rig (Slurm 22.05; see shared/reference/SLURM-RIG.md). */
class SlurmOutputParserTest {

    @Test
    void sbatchParsablePrintsTheJobIdWithAnOptionalCluster() {
        assertThat(SlurmOutputParser.jobIdOf("16\n")).contains("16");
        assertThat(SlurmOutputParser.jobIdOf("77;rigcluster\n")).contains("77");
        assertThat(SlurmOutputParser.jobIdOf("Submitted batch job 17\n")).isEmpty();
        assertThat(SlurmOutputParser.jobIdOf("")).isEmpty();
    }

    @Test
    void squeueLinesGiveStateAndReasonByJob() {
        Map<String, QueueEntry> queue = SlurmOutputParser.queue(
                "16|RUNNING|None\n14|PENDING|Resources\n13|TIMEOUT|TimeLimit\n21|PENDING|DependencyNeverSatisfied\n");
        assertThat(queue).hasSize(4);
        assertThat(queue.get("14")).isEqualTo(new QueueEntry("14", "PENDING", "Resources"));
        assertThat(queue.get("13").state()).isEqualTo("TIMEOUT");
        assertThat(SlurmOutputParser.queue("")).isEmpty();
        assertThat(SlurmOutputParser.queue("garbage without bars\n")).isEmpty();
    }

    @Test
    void sacctJoinsEachJobWithItsBatchStep() {
        Map<String, AccountingRecord> records = SlurmOutputParser.accounting(String.join(
                "\n",
                "32|FAILED|3:0|00:00:01|00:00.020||1|1|256M|billing=1,cpu=1,mem=256M,node=1|None",
                "32.batch|FAILED|3:0|00:00:01|00:00.020|1024K|1|1||cpu=1,mem=256M,node=1|",
                "34|CANCELLED by 1001|0:0|00:00:05|00:00.010||1|1|256M|billing=1,cpu=1,mem=256M,node=1|None",
                "34.batch|CANCELLED|0:15|00:00:06|00:00.010|1200K|1|1||cpu=1,mem=256M,node=1|",
                "3|OUT_OF_MEMORY|0:125|00:00:03|00:01.674||1|1|16?|billing=1,cpu=1,mem=50M,node=1|None",
                "3.batch|OUT_OF_MEMORY|0:125|00:00:03|00:01.674|52536K|1|1||cpu=1,mem=50M,node=1|",
                "3.extern|COMPLETED|0:0|00:00:03|00:00:00|900K|1|1||cpu=1,mem=50M,node=1|",
                "40|PENDING|0:0|00:00:00|00:00:00||1|0|256M|billing=1,cpu=1,mem=256M|Priority",
                "41|CANCELLED by 1001|0:0|00:00:00|00:00:00||1|0|256M||Reason|with a bar",
                ""));
        assertThat(records).containsOnlyKeys("32", "34", "3", "40", "41");
        assertThat(records.get("41").workloadExit()).isNull(); // cancelled while pending: it never ran
        assertThat(records.get("41").reason()).isEqualTo("Reason|with a bar");
        assertThat(records.get("32").workloadExit()).isEqualTo(new SlurmExitCode(3, 0));
        assertThat(records.get("34").state()).isEqualTo("CANCELLED by 1001");
        assertThat(records.get("34").workloadExit()).isEqualTo(new SlurmExitCode(0, 15));
        assertThat(records.get("3").batchState()).isEqualTo("OUT_OF_MEMORY");
        assertThat(records.get("3").usage().maxRssBytes()).isEqualTo(52536L * 1024); // the largest step's
        assertThat(records.get("3").usage().requestedMemory()).isEqualTo("50M"); // ReqMem was 16?: AllocTRES says
        assertThat(records.get("40").workloadExit()).isEqualTo(new SlurmExitCode(0, 0));
        assertThat(records.get("40").reason()).isEqualTo("Priority");
    }

    @Test
    void sacctUsageBecomesSecondsBytesAndCounts() {
        // real rig lines: a 2-CPU job that burned both CPUs for 5 s, and one that held 200 MB
        Map<String, AccountingRecord> records = SlurmOutputParser.accounting(String.join(
                "\n",
                "1994|COMPLETED|0:0|00:00:05|00:09.955||2|1|512M|billing=2,cpu=2,mem=512M,node=1|None",
                "1994.batch|COMPLETED|0:0|00:00:05|00:09.955|37404K|2|1||cpu=2,mem=512M,node=1|",
                "1993|COMPLETED|0:0|00:00:04|00:00.256||2|1|400M|billing=2,cpu=2,mem=400M,node=1|None",
                "1993.batch|COMPLETED|0:0|00:00:04|00:00.256|215832K|2|1||cpu=2,mem=400M,node=1|",
                "7|COMPLETED|0:0|1-02:03:04|2-00:00:01||64|2|0|billing=64,cpu=64,node=2,gres/gpu=4|None"));

        JobUsage burner = records.get("1994").usage();
        assertThat(burner.elapsedSeconds()).isEqualTo(5);
        assertThat(burner.cpuSeconds()).isCloseTo(9.955, within(1e-9));
        assertThat(burner.allocCpus()).isEqualTo(2);
        assertThat(burner.allocNodes()).isEqualTo(1);
        assertThat(burner.requestedMemory()).isEqualTo("512M");
        assertThat(burner.gpus()).isNull();
        assertThat(records.get("1993").usage().maxRssBytes()).isEqualTo(215832L * 1024);
        JobUsage big = records.get("7").usage();
        assertThat(big.elapsedSeconds()).isEqualTo(93784);
        assertThat(big.cpuSeconds()).isEqualTo(172801.0);
        assertThat(big.allocNodes()).isEqualTo(2);
        assertThat(big.gpus()).isEqualTo(4);
        assertThat(big.maxRssBytes()).isNull();
        assertThat(SlurmOutputParser.bytes("1.5G")).isEqualTo(1610612736L);
        assertThat(SlurmOutputParser.bytes("0")).isZero();
        assertThat(SlurmOutputParser.seconds("01:02:03")).isEqualTo(3723.0);
        assertThat(SlurmOutputParser.seconds("")).isNull();
    }

    @Test
    void sstatSumsWhatTheRunningStepsUseNowAndKeepsTheLargestTaskPeak() {
        Instant sampledAt = Instant.parse("2026-11-28T23:40:00Z");
        // real rig lines: job 5 holds 50 MB in its batch step and 100 MB in each of the two tasks of step 5.0; job 4
        // allocated 150 MB, freed it, and has burned CPU since
        Map<String, LiveSample> samples = SlurmOutputParser.liveUsage(
                String.join(
                        "\n",
                        "5.batch|71720K|cpu=00:00:00,energy=0,fs/disk=78651,mem=71720K,pages=5,vmem=352956K",
                        "5.0|110536K|cpu=00:00:00,energy=0,fs/disk=88236,mem=221044K,pages=0,vmem=232720K",
                        "4.batch|164668K|cpu=00:00:05,energy=0,fs/disk=52380,mem=11156K,pages=0,vmem=18316K",
                        "sstat: error: No steps running for job 3",
                        "9.batch||", // a step with nothing measured yet: no sample, rather than one of nulls
                        "12+0.batch|2048K|cpu=00:00:01,mem=2048K", // the components of a heterogeneous job add up
                        "12+1.0|4096K|cpu=00:00:02,mem=8192K",
                        "13_4.batch|1K|cpu=00:00:01,mem=1K", // an array task is not a job the gateway submits
                        ""),
                sampledAt);

        assertThat(samples).containsOnlyKeys("5", "4", "12");
        assertThat(samples.get("5"))
                .isEqualTo(new LiveSample(sampledAt, (71720L + 221044) * 1024, 110536L * 1024, 0.0));
        assertThat(samples.get("4")).isEqualTo(new LiveSample(sampledAt, 11156L * 1024, 164668L * 1024, 5.0));
        assertThat(samples.get("12")).isEqualTo(new LiveSample(sampledAt, 10240L * 1024, 4096L * 1024, 3.0));
        assertThat(SlurmOutputParser.liveUsage("", sampledAt)).isEmpty();
    }
}
