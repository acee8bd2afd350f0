package io.slurmgateway.slurm;

import static org.assertj.core.api.Assertions.assertThat;

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
                "32|FAILED|3:0|None",
                "32.batch|FAILED|3:0|",
                "34|CANCELLED by 1001|0:0|None",
                "34.batch|CANCELLED|0:15|",
                "3|OUT_OF_MEMORY|0:125|None",
                "3.batch|OUT_OF_MEMORY|0:125|",
                "3.extern|COMPLETED|0:0|",
                "40|PENDING|0:0|Priority",
                "41|CANCELLED by 1001|0:0|Priority",
                ""));
        assertThat(records).containsOnlyKeys("32", "34", "3", "40", "41");
        assertThat(records.get("41").workloadExit()).isNull(); // cancelled while pending: it never ran
        assertThat(records.get("32").workloadExit()).isEqualTo(new SlurmExitCode(3, 0));
        assertThat(records.get("34").state()).isEqualTo("CANCELLED by 1001");
        assertThat(records.get("34").workloadExit()).isEqualTo(new SlurmExitCode(0, 15));
        assertThat(records.get("3").batchState()).isEqualTo("OUT_OF_MEMORY");
        assertThat(records.get("40").workloadExit()).isEqualTo(new SlurmExitCode(0, 0));
        assertThat(records.get("40").reason()).isEqualTo("Priority");
    }
}
