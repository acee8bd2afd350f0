package io.slurmgateway.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Who may use the gateway and how much ({@code gateway.security.*}). Without tokens and without OIDC the gateway runs
 * unauthenticated, which it allows on loopback only unless {@code allow-unauthenticated} says otherwise.
 *
 * @param allowUnauthenticated lets an unauthenticated gateway listen on an address other than loopback: anyone who
 *     reaches it can run code on the gateway host and on every cluster
 * @param tokens API tokens by principal name; each holds the SHA-256 of the token, never the token
 * @param oidc JWTs from an identity provider; null when the site has none
 * @param metricsRole the role {@code /actuator/prometheus} requires when authentication is on; empty leaves it open
 *     (for a scrape from inside the cluster network)
 * @param limits what one principal may use
 */
@Validated
@ConfigurationProperties("gateway.security")
public record SecurityProperties(
        @DefaultValue("false") boolean allowUnauthenticated,
        @DefaultValue @NotNull Map<String, @Valid @NotNull Token> tokens,
        @Valid Oidc oidc,
        @DefaultValue("admin") @NotNull @Pattern(regexp = "|reader|submitter|admin|local") String metricsRole,
        @DefaultValue @Valid @NotNull Limits limits) {

    private static final java.util.regex.Pattern PRINCIPAL = java.util.regex.Pattern.compile("[A-Za-z0-9_.@-]{1,64}");

    public SecurityProperties {
        tokens = new TreeMap<>(tokens);
        tokens.keySet().forEach(name -> {
            if (!PRINCIPAL.matcher(name).matches()) {
                throw new IllegalStateException(
                        "gateway.security.tokens." + name + ": token names must match " + PRINCIPAL.pattern());
            }
        });
        tokens = Map.copyOf(tokens);
    }

    /** Whether any way of authenticating is configured. */
    public boolean authenticationConfigured() {
        return !tokens.isEmpty() || oidc != null;
    }

    /**
     * An API token ({@code gateway.security.tokens.<name>.*}).
     *
     * @param sha256 the lower-case hex SHA-256 of the token string, as {@code scripts/mint-token.sh} prints it
     * @param roles the roles of the token's principal
     */
    public record Token(
            @NotNull @Pattern(regexp = "[0-9a-f]{64}", message = "must be 64 lower-case hex digits (SHA-256)")
                    String sha256,
            @DefaultValue @NotNull Set<Role> roles) {

        /** Never the digest: {@code toString} appears in logs and failure reports. */
        @Override
        public String toString() {
            return "Token[roles=" + roles + "]";
        }
    }

    /**
     * JWT bearer tokens from an OpenID Connect identity provider ({@code gateway.security.oidc.*}).
     *
     * @param issuerUri the issuer: tokens must carry it in {@code iss}; without {@code jwk-set-uri} its keys are found
     *     through its discovery document
     * @param jwkSetUri where the signing keys are, when they are not to be discovered from the issuer
     * @param audience the value {@code aud} must contain; empty accepts any audience
     * @param rolesClaim the claim holding the caller's roles (a list, or a space- or comma-separated string)
     * @param principalClaim the claim naming the caller
     * @param clockSkew how far {@code exp} and {@code nbf} may be off
     */
    public record Oidc(
            URI issuerUri,
            URI jwkSetUri,
            @DefaultValue("") @NotNull String audience,
            @DefaultValue("roles") @NotNull String rolesClaim,
            @DefaultValue("sub") @NotNull String principalClaim,
            @DefaultValue("30s") @NotNull Duration clockSkew) {

        public Oidc {
            if (issuerUri == null && jwkSetUri == null) {
                throw new IllegalStateException(
                        "gateway.security.oidc: set issuer-uri, jwk-set-uri, or both (issuer-uri is then checked too)");
            }
        }
    }

    /**
     * What one principal may use when authentication is on (an unauthenticated gateway has one user, on its own
     * machine); a request past a limit is refused with 429 and {@code Retry-After}.
     *
     * @param requestsPerMinute API requests per minute, refilled evenly; 0 turns the limit off
     * @param burst how many requests may come at once before the per-minute rate applies
     * @param maxActiveRuns runs not yet ended at once; 0 turns the limit off
     * @param maxStreams server-sent event streams open at once
     * @param maxLogBytes the run output stored for the principal's runs together; past it, output stays in the runs'
     *     directories only, and each run says so. 0 turns the limit off
     */
    public record Limits(
            @DefaultValue("600") @Min(0) int requestsPerMinute,
            @DefaultValue("60") @Min(1) int burst,
            @DefaultValue("200") @Min(0) int maxActiveRuns,
            @DefaultValue("20") @Min(1) int maxStreams,
            @DefaultValue("100GB") @NotNull DataSize maxLogBytes) {}
}
