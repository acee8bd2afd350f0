package io.slurmgateway.host;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Commands on the gateway's own machine ({@code gateway.host.*}).
 *
 * @param localCommandTimeout the longest one command the gateway runs on its own machine may take before it is killed
 * @param sshOutputReaders the most threads that read the output of commands on clusters' login nodes, for all clusters
 *     together: two per command while it runs; a command finding none free fails at once
 */
@Validated
@ConfigurationProperties("gateway.host")
public record HostProperties(
        @DefaultValue("60s") @NotNull Duration localCommandTimeout, @DefaultValue("256") @Min(2) int sshOutputReaders) {

    /** The property that caps the SSH output readers, for messages. */
    public static final String SSH_OUTPUT_READERS = "gateway.host.ssh-output-readers";
}
