package io.slurmgateway.security;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import jakarta.servlet.DispatcherType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may call what. With API tokens or OIDC configured, every API request needs {@code Authorization: Bearer};
 * roles decide the operations (reader: read all; submitter: create, and read and cancel its own; admin: everything),
 * and the runs module decides ownership. Without either, the gateway trusts every request, and so listens on loopback
 * only and refuses a non-loopback {@code Host}; binding elsewhere needs {@code gateway.security.allow-unauthenticated}.
 * Liveness and readiness are always open for probes, and so are the API document and its UI (every operation in it
 * still needs a token).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    static final String BEARER = "bearer";
    private static final String OIDC = "oidc";

    private static final String[] READERS = {Role.READER.name(), Role.SUBMITTER.name(), Role.ADMIN.name()};
    private static final String[] SUBMITTERS = {Role.SUBMITTER.name(), Role.ADMIN.name()};

    @Bean
    SecurityFilterChain gatewaySecurity(HttpSecurity http, SecurityProperties security, JsonMapper json)
            throws Exception {
        ProblemWriter problems = new ProblemWriter(json);
        http.csrf(AbstractHttpConfigurer::disable) // no cookies and no sessions: a bearer token on every request
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable);
        if (!security.authenticationConfigured()) {
            http.anonymous(anonymous -> anonymous
                            .principal(Caller.UNAUTHENTICATED.name())
                            .authorities(Arrays.stream(Role.values())
                                    .map(Role::authority)
                                    .toArray(String[]::new)))
                    .authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
            if (!security.allowUnauthenticated()) {
                http.addFilterBefore(new LoopbackHostFilter(problems), SecurityContextHolderFilter.class);
            }
        } else {
            // 401 with the bearer challenge, as a problem: for a refused token and for a request without one alike
            AuthenticationEntryPoint unauthorized = (request, response, failure) -> {
                new BearerTokenAuthenticationEntryPoint().commence(request, response, failure);
                problems.write(
                        response,
                        HttpStatus.UNAUTHORIZED,
                        "unauthorized",
                        "Authentication required",
                        "Send Authorization: Bearer with a valid API token or identity-provider JWT");
            };
            // built once: a JWT decoder caches its issuer's key set, which a decoder per request would fetch every time
            AuthenticationManager tokens = authenticationManager(security);
            http.authorizeHttpRequests(requests -> requests.dispatcherTypeMatchers(
                                    DispatcherType.ERROR, DispatcherType.ASYNC)
                            .permitAll()
                            .requestMatchers(
                                    "/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")
                            .permitAll()
                            .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                            .permitAll()
                            .requestMatchers("/actuator/prometheus")
                            .access((authentication, context) ->
                                    new org.springframework.security.authorization.AuthorizationDecision(
                                            security.metricsRole().isEmpty()
                                                    || hasRole(authentication.get(), security)))
                            .requestMatchers(HttpMethod.POST, "/api/v1/runs", "/api/v1/runs/*/cancel")
                            .hasAnyRole(SUBMITTERS)
                            .requestMatchers(HttpMethod.GET, "/api/v1/clusters/*/cache")
                            .hasRole(Role.ADMIN.name())
                            .requestMatchers(HttpMethod.PUT, "/api/v1/blobs/*")
                            .hasAnyRole(SUBMITTERS)
                            .requestMatchers(HttpMethod.HEAD, "/api/v1/blobs/*")
                            .hasAnyRole(READERS)
                            .requestMatchers(
                                    HttpMethod.GET,
                                    "/api/v1/runs",
                                    "/api/v1/runs/**",
                                    "/api/v1/clusters",
                                    "/api/v1/blobs",
                                    "/api/v1/blobs/*")
                            .hasAnyRole(READERS)
                            .anyRequest()
                            .denyAll())
                    .oauth2ResourceServer(resourceServer -> resourceServer
                            .authenticationManagerResolver(request -> tokens)
                            .authenticationEntryPoint(unauthorized)
                            .accessDeniedHandler((request, response, denied) -> problems.write(
                                    response,
                                    HttpStatus.FORBIDDEN,
                                    "forbidden",
                                    "Not allowed",
                                    "Your roles do not allow " + request.getMethod() + " " + request.getRequestURI())))
                    .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(unauthorized));
            // limits are per principal: an unauthenticated gateway has one user, on its own machine
            http.addFilterAfter(new RateLimitFilter(security.limits(), problems), AuthorizationFilter.class);
        }
        return http.build();
    }

    private static boolean hasRole(
            org.springframework.security.core.Authentication authentication, SecurityProperties security) {
        String wanted = Role.valueOf(security.metricsRole().toUpperCase(java.util.Locale.ROOT))
                .authority();
        return authentication != null
                && authentication.getAuthorities().stream().anyMatch(granted -> wanted.equals(granted.getAuthority()));
    }

    private static AuthenticationManager authenticationManager(SecurityProperties security) {
        List<AuthenticationProvider> providers = new ArrayList<>();
        providers.add(new ApiTokens(security.tokens()));
        if (security.oidc() != null) {
            providers.add(JwtAuthentication.provider(security.oidc()));
        }
        return new ProviderManager(providers);
    }

    /**
     * Binds an unauthenticated gateway to loopback, and refuses to start one bound elsewhere unless an operator said
     * so; says in one line which mode the gateway is in.
     */
    @Bean
    SafeBindAddress safeBindAddress(SecurityProperties security, Environment environment) {
        return new SafeBindAddress(security, environment);
    }

    /**
     * Binds an unauthenticated gateway to loopback, and refuses to start one bound elsewhere unless an operator said
     * so; says in one line which mode the gateway is in. Runs after Boot's own customizer, which applies
     * {@code server.address}.
     */
    static final class SafeBindAddress implements WebServerFactoryCustomizer<ConfigurableWebServerFactory>, Ordered {

        private final SecurityProperties security;
        private final Environment environment;

        SafeBindAddress(SecurityProperties security, Environment environment) {
            this.security = security;
            this.environment = environment;
        }

        @Override
        public void customize(ConfigurableWebServerFactory factory) {
            String configured = environment.getProperty("server.address", "").strip();
            if (security.authenticationConfigured()) {
                log.info(
                        "security: bearer authentication required ({} API token(s){}); listening on {}",
                        security.tokens().size(),
                        security.oidc() == null ? "" : ", OIDC JWTs",
                        configured.isEmpty() ? "all addresses" : configured);
            } else if (configured.isEmpty()) {
                factory.setAddress(InetAddress.getLoopbackAddress());
                log.warn(
                        "security: NO AUTHENTICATION; listening on loopback only ({}). Configure"
                                + " gateway.security.tokens or gateway.security.oidc before exposing the gateway",
                        InetAddress.getLoopbackAddress().getHostAddress());
            } else if (isLoopback(configured)) {
                log.warn("security: NO AUTHENTICATION; listening on loopback only ({})", configured);
            } else if (security.allowUnauthenticated()) {
                log.warn(
                        "security: NO AUTHENTICATION on {} (gateway.security.allow-unauthenticated=true): whoever"
                                + " reaches it can run code on this host and on every cluster",
                        configured);
            } else {
                throw new IllegalStateException("refusing to listen on " + configured + " without authentication:"
                        + " configure gateway.security.tokens or gateway.security.oidc, or set"
                        + " gateway.security.allow-unauthenticated=true to accept that anyone who reaches it can run"
                        + " code on this host and on every cluster");
            }
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException unresolvable) {
            return false;
        }
    }

    /** The API document declares the bearer scheme (and the OIDC flow where configured) on every operation. */
    @Bean
    OpenApiCustomizer bearerSecurity(SecurityProperties security) {
        return openApi -> {
            Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
            components.addSecuritySchemes(
                    BEARER,
                    new SecurityScheme()
                            .type(SecurityScheme.Type.HTTP)
                            .scheme("bearer")
                            .description("An API token (scripts/mint-token.sh) or, where configured, a JWT of the"
                                    + " site's identity provider"));
            SecurityRequirement requirement = new SecurityRequirement().addList(BEARER);
            if (security.oidc() != null && security.oidc().issuerUri() != null) {
                components.addSecuritySchemes(
                        OIDC,
                        new SecurityScheme()
                                .type(SecurityScheme.Type.OPENIDCONNECT)
                                .openIdConnectUrl(
                                        security.oidc().issuerUri().toString().replaceAll("/$", "")
                                                + "/.well-known/openid-configuration"));
                requirement.addList(OIDC);
            }
            openApi.setComponents(components);
            openApi.getPaths().values().stream()
                    .flatMap(path -> path.readOperations().stream())
                    .forEach(operation -> operation.setSecurity(List.of(requirement)));
        };
    }
}
