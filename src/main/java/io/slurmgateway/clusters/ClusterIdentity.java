package io.slurmgateway.clusters;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One tenant's account on a cluster ({@code gateway.clusters.<name>.identities.<identity>.*}): the Unix user its runs
 * execute as, the key that logs it in, and who it is for. Runs of a principal execute under the identity that lists
 * the principal, else under the first identity (by name) that lists one of its roles; the host, its key verification
 * and the jump host are the cluster's.
 *
 * @param user the Unix account on the cluster
 * @param privateKey an OpenSSH private key file that logs {@code user} in; owner-only, like the cluster's
 * @param privateKeyPassphraseFile the passphrase of an encrypted {@code private-key} (its first line); owner-only
 * @param workDir the directory on the cluster holding this identity's run directories; empty uses the cluster's
 *     {@code work-dir} (a relative path is under the identity's home)
 * @param principals the principals whose runs execute as this identity
 * @param roles the roles whose holders' runs execute as this identity, when no identity names the principal
 */
public record ClusterIdentity(
        @NotBlank String user,
        @NotNull Path privateKey,
        Path privateKeyPassphraseFile,
        @DefaultValue("")
                @Pattern(
                        regexp = "[A-Za-z0-9._/~+-]{0,1024}",
                        message = "may contain only letters, digits and . _ / ~ + -")
                String workDir,
        @DefaultValue @NotNull Set<String> principals,
        @DefaultValue @NotNull Set<String> roles) {

    /** The name of the account the cluster's own {@code user} and {@code private-key} configure. */
    public static final String DEFAULT = "default";

    public ClusterIdentity {
        principals = Set.copyOf(principals);
        Set<String> lower = new LinkedHashSet<>();
        roles.forEach(role -> lower.add(role.toLowerCase(Locale.ROOT)));
        roles = Set.copyOf(lower);
    }
}
