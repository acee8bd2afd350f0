package io.slurmgateway.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Who watches a run hears of each of its changes, and of nothing else, until the watch is closed. */
class RunChangesTest {

    private final RunChanges changes = new RunChanges();
    private final UUID run = UUID.randomUUID();
    private final UUID other = UUID.randomUUID();

    @Test
    void aWatcherHearsOfEveryKindOfChangeToItsRunOnly() {
        List<String> heard = new ArrayList<>();
        changes.watch(run, () -> heard.add("run"));
        changes.watch(other, () -> heard.add("other"));

        changes.on(new RunStateChanged(run, 2, RunState.QUEUED, RunState.RUNNING, null, Instant.now(), "slurm", "c"));
        changes.on(new RunNoted(run, 3, "a note", Instant.now()));
        changes.on(new PipesLinesRelayed(run, List.of()));
        changes.on(new RunOutputStored(run));

        assertThat(heard).containsExactly("run", "run", "run", "run");
    }

    @Test
    void aClosedWatchHearsNothingMoreAndLeavesNothingBehind() {
        List<String> heard = new ArrayList<>();
        RunChanges.Watch watch = changes.watch(run, () -> heard.add("first"));
        RunChanges.Watch second = changes.watch(run, () -> heard.add("second"));

        watch.close();
        changes.on(new RunOutputStored(run));
        second.close();
        second.close();
        changes.on(new RunOutputStored(run));

        assertThat(heard).containsExactly("second");
        assertThat(changes.watchedRuns()).isZero();
    }

    @Test
    void aWatcherThatFailsHoldsUpNoOther() {
        List<String> heard = new ArrayList<>();
        changes.watch(run, () -> {
            throw new IllegalStateException("broken watcher");
        });
        changes.watch(run, () -> heard.add("healthy"));

        changes.on(new RunOutputStored(run));

        assertThat(heard).containsExactly("healthy");
    }
}
