package io.slurmgateway.host;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Commands on the gateway's own machine ({@code gateway.host.*}).
 *
 * @param localCommandTimeout the longest one command the gateway runs on its own machine may take before it is killed
 */
@Validated
@ConfigurationProperties("gateway.host")
public record HostProperties(@DefaultValue("60s") @NotNull Duration localCommandTimeout) {}
