package io.slurmgateway.runs.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.slurmgateway.launch.RunSpec;
import io.slurmgateway.runs.LiveUsage;
import io.slurmgateway.runs.ResourceUsage;
import io.slurmgateway.runs.Run;
import io.slurmgateway.runs.RunMode;
import io.slurmgateway.runs.RunState;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** A run as clients see it. */
record RunResponse(
        UUID id,
        String asset,
        String mode,
        String cluster,
        @Schema(
                        description = "the cluster identity (tenant account) a Slurm run executes as; null for a local"
                                + " run")
                String clusterIdentity,
        String launcher,
        @Schema(description = "the principal who created the run; it may read and cancel it") String createdBy,
        RunState state,
        String reason,
        boolean cancelRequested,
        String slurmJobId,
        String slurmState,
        String slurmReason,
        Integer exitCode,
        Instant createdAt,
        Instant submittedAt,
        Instant startedAt,
        Instant finishedAt,
        RunSpec.Resources resources,
        Accounting accounting,
        CurrentUsage liveUsage,
        @Schema(
                        description = "Addresses the run's launcher published while it ran, by name (sparkMasterUi,"
                                + " sparkUi, daskDashboard, rayDashboard); each also came as an ENDPOINT event",
                        example = "{\"sparkUi\": \"http://c1:24568\"}")
                java.util.Map<String, String> endpoints) {

    /**
     * What a running job uses now, sampled with sstat every {@code live-usage-interval} of its cluster (when set);
     * null when the cluster samples nothing, before the first sample, and once the run has ended (see
     * {@code accounting} then).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CurrentUsage(
            Instant sampledAt,
            @Schema(description = "resident memory of all the job's running steps at sampledAt") Long rssBytes,
            @Schema(description = "the largest resident set any one task of the running steps has had so far")
                    Long maxRssBytes,
            @Schema(description = "CPU time of the running steps so far") Double cpuSeconds) {}

    /**
     * What a finished run used. From Slurm accounting ({@code source} {@code SLURM_ACCOUNTING}) when the cluster
     * recorded the job; for a local run, its wall time and the CPU time and peak memory of its process tree
     * ({@code LOCAL_PROCESS});
     * else only the wall time between start and end as the gateway saw them ({@code GATEWAY_CLOCK}:
     * local runs, and Slurm runs whose cluster gave no accounting record). Fields nobody measured are null.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Accounting(
            @Schema(allowableValues = {"SLURM_ACCOUNTING", "LOCAL_PROCESS", "GATEWAY_CLOCK"}) String source,
            Long elapsedSeconds,
            Double cpuSeconds,
            @Schema(description = "cpuSeconds / (elapsedSeconds x allocCpus)") Double cpuEfficiency,
            Long maxRssBytes,
            Integer allocCpus,
            Integer allocNodes,
            @Schema(description = "elapsedSeconds x allocNodes / 3600") Double nodeHours,
            @Schema(description = "as Slurm writes it, e.g. 400M") String requestedMemory,
            Integer gpus,
            @Schema(
                            description =
                                    "set on a Slurm run that Slurm accounting has no record of: why the figures are missing")
                    String unavailable) {}

    /** Why a Slurm run has only the gateway's clock; its reason says why there was no record. */
    private static final String NO_ACCOUNTING_RECORD =
            "Slurm accounting has no record of this job (the run's reason says why); only the wall time the gateway"
                    + " saw is known";

    static RunResponse of(Run run, RunSpec.Resources resources) {
        return new RunResponse(
                run.getId(),
                run.getAsset(),
                run.getMode(),
                run.getCluster(),
                run.getSlurmJob().identity(),
                run.getRequest().launcher(),
                run.getRequest().createdBy(),
                run.getState(),
                run.getReason(),
                run.isCancelRequested(),
                run.getSlurmJob().jobId(),
                run.getSlurmJob().state(),
                run.getSlurmJob().reason(),
                run.getExitCode(),
                run.getTimes().createdAt(),
                run.getTimes().submittedAt(),
                run.getTimes().startedAt(),
                run.getTimes().finishedAt(),
                resources,
                accounting(run),
                liveUsage(run),
                run.getEndpoints().asMap());
    }

    private static CurrentUsage liveUsage(Run run) {
        LiveUsage sample = run.getLiveUsage();
        if (run.getState() != RunState.RUNNING || sample == null) { // a stored sample always has its sampledAt
            return null;
        }
        return new CurrentUsage(sample.sampledAt(), sample.rssBytes(), sample.maxRssBytes(), sample.cpuSeconds());
    }

    private static Accounting accounting(Run run) {
        ResourceUsage usage = run.getUsage();
        if (usage != null && !RunMode.LOCAL.equals(run.getMode())) {
            return new Accounting(
                    "SLURM_ACCOUNTING",
                    usage.elapsedSeconds(),
                    usage.cpuSeconds(),
                    usage.cpuEfficiency(),
                    usage.maxRssBytes(),
                    usage.allocCpus(),
                    usage.allocNodes(),
                    usage.nodeHours(),
                    usage.requestedMemory(),
                    usage.gpus(),
                    null);
        }
        if (run.getTimes().startedAt() == null || run.getTimes().finishedAt() == null) {
            return null;
        }
        if (usage != null) {
            return measuredHere("LOCAL_PROCESS", run, usage.cpuSeconds(), usage.maxRssBytes(), null);
        }
        return measuredHere(
                "GATEWAY_CLOCK", run, null, null, RunMode.SLURM.equals(run.getMode()) ? NO_ACCOUNTING_RECORD : null);
    }

    /**
     * The wall time between the start and end the gateway saw, and the CPU time and peak memory when it measured those
     * too.
     */
    private static Accounting measuredHere(
            String source, Run run, Double cpuSeconds, Long maxRssBytes, String unavailable) {
        return new Accounting(
                source,
                Duration.between(run.getTimes().startedAt(), run.getTimes().finishedAt())
                        .toSeconds(),
                cpuSeconds,
                null,
                maxRssBytes,
                null,
                null,
                null,
                null,
                null,
                unavailable);
    }
}
