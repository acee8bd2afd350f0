package io.slurmgateway.runs;

import static io.slurmgateway.runs.RunState.ACCEPTED;
import static io.slurmgateway.runs.RunState.CANCELLED;
import static io.slurmgateway.runs.RunState.COMPLETED;
import static io.slurmgateway.runs.RunState.FAILED;
import static io.slurmgateway.runs.RunState.QUEUED;
import static io.slurmgateway.runs.RunState.RUNNING;
import static io.slurmgateway.runs.RunState.STAGING;
import static io.slurmgateway.runs.RunState.SUBMIT_FAILED;
import static io.slurmgateway.runs.RunState.TIMED_OUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slurmgateway.launch.RunSpec;
import io.slurmgateway.pipes.PipesMessage;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RunStateTest {

    /** The lifecycle of ARCHITECTURE.md, written out edge by edge so that a change to the enum must change this too. */
    private static final Map<RunState, Set<RunState>> LEGAL = Map.of(
            ACCEPTED, EnumSet.of(STAGING, CANCELLED),
            STAGING, EnumSet.of(QUEUED, SUBMIT_FAILED, CANCELLED),
            QUEUED, EnumSet.of(RUNNING, COMPLETED, FAILED, TIMED_OUT, CANCELLED),
            RUNNING, EnumSet.of(QUEUED, COMPLETED, FAILED, TIMED_OUT, CANCELLED),
            COMPLETED, EnumSet.noneOf(RunState.class),
            FAILED, EnumSet.noneOf(RunState.class),
            TIMED_OUT, EnumSet.noneOf(RunState.class),
            CANCELLED, EnumSet.noneOf(RunState.class),
            SUBMIT_FAILED, EnumSet.noneOf(RunState.class));

    @Test
    void everyPairOfStatesIsLegalExactlyWhenTheLifecycleSaysSo() {
        assertThat(LEGAL).containsOnlyKeys(RunState.values());
        for (RunState from : RunState.values()) {
            for (RunState to : RunState.values()) {
                assertThat(from.canMoveTo(to))
                        .as("%s -> %s", from, to)
                        .isEqualTo(LEGAL.get(from).contains(to));
            }
        }
    }

    @Test
    void exactlyTheFiveOutcomesAreTerminal() {
        assertThat(EnumSet.allOf(RunState.class).stream().filter(RunState::isTerminal))
                .containsExactlyInAnyOrder(COMPLETED, FAILED, TIMED_OUT, CANCELLED, SUBMIT_FAILED);
    }

    @Test
    void rejectsTransitionFromCompletedToRunningOnTheEntity() {
        Run run = runningRun();
        run.finish(COMPLETED, 0, "exit code 0", Instant.EPOCH);

        assertThatThrownBy(() -> run.markStarting("me", Instant.EPOCH))
                .isInstanceOf(IllegalRunTransitionException.class)
                .hasMessageContaining("COMPLETED to RUNNING");
    }

    @Test
    void aSecondOutcomeIsIgnoredAndTheFirstIsKept() {
        Run run = acceptedRun();
        run.requestCancel("someone", Instant.EPOCH);

        run.finish(FAILED, 1, "late report", Instant.EPOCH);

        assertThat(run.getState()).isEqualTo(CANCELLED);
        assertThat(run.getExitCode()).isNull();
    }

    @Test
    void cancelOfAnEndedRunIsRefused() {
        Run run = acceptedRun();
        run.requestCancel("someone", Instant.EPOCH);

        assertThatThrownBy(() -> run.requestCancel("someone", Instant.EPOCH))
                .isInstanceOf(RunNotCancellableException.class);
    }

    @Test
    void cancelOfAnExecutingRunAsksItsExecutorOnce() {
        Run run = runningRun();

        assertThat(run.requestCancel("someone", Instant.EPOCH)).isFalse();
        assertThat(run.requestCancel("someone", Instant.EPOCH)).isFalse();

        assertThat(run.getState()).isEqualTo(RUNNING);
        assertThat(run.isCancelRequested()).isTrue();
        assertThat(run.getEventCount()).isEqualTo(5); // 4 state changes and one "cancel requested" note
    }

    private static Run runningRun() {
        Run run = acceptedRun();
        run.startStaging("me", Instant.EPOCH);
        run.markQueued("staged", Instant.EPOCH);
        run.markStarting("me", Instant.EPOCH);
        return run;
    }

    @Test
    void anExceptionReportedOverPipesFailsACompletingRunAndLeavesOtherOutcomesAlone() {
        Run completing = pipesRun();
        completing.relayPipes(0, 10, List.of(RelayedPipesLine.of(closed("KeyError: 'x'"))), Instant.EPOCH);
        completing.finish(COMPLETED, 0, "exit code 0", Instant.EPOCH);
        assertThat(completing.getState()).isEqualTo(FAILED);
        assertThat(completing.getReason())
                .isEqualTo("the payload reported an exception over Dagster Pipes: KeyError: 'x'");

        Run failing = pipesRun();
        failing.relayPipes(0, 10, List.of(RelayedPipesLine.of(closed("KeyError: 'x'"))), Instant.EPOCH);
        failing.finish(TIMED_OUT, null, "exceeded its time limit", Instant.EPOCH);
        assertThat(failing.getState()).isEqualTo(TIMED_OUT);
        assertThat(failing.getReason()).isEqualTo("exceeded its time limit");
    }

    @Test
    void pipesLinesAreStoredOnlyFromTheOffsetTheRunRecords() {
        Run run = pipesRun();
        List<RelayedPipesLine> lines = List.of(RelayedPipesLine.malformed("not JSON"));

        assertThat(run.relayPipes(5, 10, lines, Instant.EPOCH)).isFalse();
        assertThat(run.relayPipes(0, 10, lines, Instant.EPOCH)).isTrue();
        assertThat(run.relayPipes(0, 10, lines, Instant.EPOCH)).isFalse();
        assertThat(run.getPipes().offset()).isEqualTo(10);
        assertThat(acceptedRun().relayPipes(0, 10, lines, Instant.EPOCH)).isFalse();
    }

    private static Run pipesRun() {
        Run run = Run.accept(UUID.randomUUID(), spec(true), request(), null, Instant.EPOCH);
        run.startStaging("me", Instant.EPOCH);
        run.markQueued("staged", Instant.EPOCH);
        run.markStarting("me", Instant.EPOCH);
        return run;
    }

    private static PipesMessage closed(String exception) {
        return new PipesMessage("{}", PipesMessage.CLOSED, exception);
    }

    private static Run acceptedRun() {
        return Run.accept(UUID.randomUUID(), spec(false), request(), null, Instant.EPOCH);
    }

    private static RunSpec spec(boolean relaysPipes) {
        return new RunSpec(
                "a",
                "local",
                null,
                "bash",
                null,
                new RunSpec.Payload("true", null),
                null,
                null,
                null,
                relaysPipes ? new RunSpec.Dagster(null, null, Map.of()) : null);
    }

    private static RunRequest request() {
        return new RunRequest("bash", "{}", null, "f", "someone", null);
    }
}
