package io.slurmgateway.clusters;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The cache of environment packs and run files on a cluster ({@code gateway.clusters.<name>.cache.*}), one per cluster
 * account: each blob crosses SSH once, each pack is unpacked once, and every later run reuses them.
 *
 * @param dir the cache directory on the cluster, under the account's home unless absolute; on a file system the
 *     compute nodes see, as the work directory is
 * @param budget what the cache may take; beyond it the least recently used packs and files that no unfinished run
 *     needs are removed, at each sweep ({@code housekeeping.sweep-interval})
 * @param unpackCommand the command that unpacks a pack instead of {@code tar}, for sites that ship pixi-pack archives as
 *     they are (for example {@code [pixi-unpack, --output-directory, "{target}", "{archive}"]}); {@code {archive}} and
 *     {@code {target}} are replaced, as whole words, by the archive and the directory that must end up holding
 *     {@code activate.sh}. Empty: {@code tar}, and a pack must hold {@code activate.sh} at its root
 */
public record ClusterCache(
        @DefaultValue(".slurm-gateway-cache")
                @Pattern(
                        regexp = "[A-Za-z0-9._/~+-]{1,1024}",
                        message = "may contain only letters, digits and . _ / ~ + -")
                String dir,
        @DefaultValue("50GB") @NotNull DataSize budget,
        @DefaultValue @NotNull List<@NotNull String> unpackCommand) {}
