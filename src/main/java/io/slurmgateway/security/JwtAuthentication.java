package io.slurmgateway.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;

/**
 * JWT bearer tokens from the site's identity provider: signed (never {@code alg: none}) by a key of its JWK set, from
 * its issuer, for this gateway's audience, within their lifetime. The configured claims name the caller and its roles.
 */
final class JwtAuthentication {

    private JwtAuthentication() {}

    static AuthenticationProvider provider(SecurityProperties.Oidc oidc) {
        NimbusJwtDecoder decoder = (oidc.jwkSetUri() != null
                        ? NimbusJwtDecoder.withJwkSetUri(oidc.jwkSetUri().toString())
                        : NimbusJwtDecoder.withIssuerLocation(oidc.issuerUri().toString()))
                .jwsAlgorithms(algorithms -> algorithms.addAll(List.of(
                        SignatureAlgorithm.RS256,
                        SignatureAlgorithm.RS384,
                        SignatureAlgorithm.RS512,
                        SignatureAlgorithm.PS256,
                        SignatureAlgorithm.ES256,
                        SignatureAlgorithm.ES384)))
                .build();
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(new JwtTimestampValidator(oidc.clockSkew()));
        if (oidc.issuerUri() != null) {
            validators.add(new JwtIssuerValidator(oidc.issuerUri().toString()));
        }
        if (!oidc.audience().isEmpty()) {
            validators.add(new JwtClaimValidator<List<String>>(
                    JwtClaimNames.AUD, audience -> audience != null && audience.contains(oidc.audience())));
        }
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setPrincipalClaimName(oidc.principalClaim());
        converter.setJwtGrantedAuthoritiesConverter(jwt -> roles(jwt.getClaim(oidc.rolesClaim())));
        JwtAuthenticationProvider provider = new JwtAuthenticationProvider(decoder);
        provider.setJwtAuthenticationConverter(converter);
        return provider;
    }

    /** The gateway's roles among a claim's values (a list, or one string separated by spaces or commas). */
    static Collection<GrantedAuthority> roles(Object claim) {
        List<String> values = new ArrayList<>();
        if (claim instanceof Collection<?> list) {
            list.forEach(value -> values.add(String.valueOf(value)));
        } else if (claim instanceof String text) {
            values.addAll(List.of(text.split("[\\s,]+")));
        }
        List<GrantedAuthority> authorities = new ArrayList<>();
        for (String value : values) {
            for (Role role : Role.values()) {
                if (role.name().equals(value.strip().toUpperCase(Locale.ROOT))) {
                    authorities.add(new SimpleGrantedAuthority(role.authority()));
                }
            }
        }
        return authorities;
    }
}
