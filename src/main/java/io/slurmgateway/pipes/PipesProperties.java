package io.slurmgateway.pipes;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The Dagster Pipes relay ({@code gateway.pipes.*}).
 *
 * @param maxMessageSize the longest line of a messages file that is relayed; a longer one becomes a LOG event with
 *     its beginning, and the relay goes on after it. It also bounds what the gateway holds of a line not yet complete
 * @param batchSize how many bytes of messages one transaction stores at most, which bounds the gateway's memory per
 *     relay; in local mode also what one read of the file asks for
 * @param batchLines how many lines one transaction stores at most, which bounds the memory of a relay whose lines
 *     are tiny
 * @param bytesPerTick how many bytes of messages files one tick reads at most: per run in local mode, shared by all
 *     running jobs of a cluster in Slurm mode, where each job's file is read once per tick
 * @param excerptSize how much of a malformed or overlong line its LOG event quotes
 */
@Validated
@ConfigurationProperties("gateway.pipes")
public record PipesProperties(
        @DefaultValue("1MB") @NotNull DataSize maxMessageSize,
        @DefaultValue("1MB") @NotNull DataSize batchSize,
        @DefaultValue("10000") @Min(1) int batchLines,
        @DefaultValue("8MB") @NotNull DataSize bytesPerTick,
        @DefaultValue("512B") @NotNull DataSize excerptSize) {

    public PipesProperties {
        for (DataSize size : new DataSize[] {maxMessageSize, batchSize, bytesPerTick, excerptSize}) {
            if (size.toBytes() < 1 || size.toBytes() > Integer.MAX_VALUE / 2) {
                throw new IllegalArgumentException("gateway.pipes sizes must be between 1 byte and 1GB, not " + size);
            }
        }
    }
}
