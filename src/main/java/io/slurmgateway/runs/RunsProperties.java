package io.slurmgateway.runs;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Rules for accepting runs ({@code gateway.runs.*}).
 *
 * @param defaultMode the mode of a run that names none: {@code local} or {@code slurm}
 * @param localModeEnabled whether clients may submit local runs, whose payloads execute on the gateway host as the
 *     gateway's own operating-system user; turn it off where clients are not trusted with that
 * @param maxScriptSize the largest inline script, in UTF-8 bytes
 * @param maxArgs how many arguments a run may have
 * @param maxArgSize the longest single argument, in UTF-8 bytes
 * @param maxEnvEntries how many environment variables a run may set
 * @param maxEnvValueSize the longest environment value, in UTF-8 bytes
 * @param metricsRefresh how often the {@code gateway.runs} gauge counts runs by state in the database
 * @param localMaxTimeLimit the longest time limit a local run may ask for; a longer one is refused, and a run without
 *     one gets at most this
 * @param maxBacklog how many runs may wait in ACCEPTED over the whole gateway (all modes, clusters and instances,
 *     counted in the database); a create beyond it is refused with 429, creating nothing. 0, the default, is no limit
 * @param backlogRetryAfter the {@code Retry-After} of such a refusal, rounded up to whole seconds
 */
@Validated
@ConfigurationProperties("gateway.runs")
public record RunsProperties(
        @DefaultValue("local") @NotNull @Pattern(regexp = "local|slurm") String defaultMode,
        @DefaultValue("true") boolean localModeEnabled,
        @DefaultValue("256KB") @NotNull DataSize maxScriptSize,
        @DefaultValue("256") @Min(0) int maxArgs,
        @DefaultValue("32KB") @NotNull DataSize maxArgSize,
        @DefaultValue("128") @Min(0) int maxEnvEntries,
        @DefaultValue("32KB") @NotNull DataSize maxEnvValueSize,
        @DefaultValue("15s") @NotNull Duration metricsRefresh,
        @DefaultValue("24h") @NotNull Duration localMaxTimeLimit,
        @DefaultValue("0") @Min(0) int maxBacklog,
        @DefaultValue("30s") @NotNull Duration backlogRetryAfter) {}
