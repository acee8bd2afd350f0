package io.slurmgateway.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * On an unauthenticated gateway bound to loopback, refuses requests whose {@code Host} is not a loopback name. A web
 * page the operator visits could otherwise point a name of its own at 127.0.0.1 (DNS rebinding) and drive the
 * gateway from the operator's browser; such a request carries the attacker's name in {@code Host}.
 */
final class LoopbackHostFilter extends OncePerRequestFilter {

    private static final Pattern LOOPBACK_NAME =
            Pattern.compile("localhost|127(\\.\\d{1,3}){3}|\\[?::1]?|\\[?0:0:0:0:0:0:0:1]?");

    private final ProblemWriter problems;

    LoopbackHostFilter(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isLoopbackName(request.getServerName())) {
            chain.doFilter(request, response);
            return;
        }
        problems.write(
                response,
                HttpStatus.FORBIDDEN,
                "untrusted-host",
                "Untrusted Host",
                "This gateway runs without authentication and answers only requests addressed to a loopback name"
                        + " (localhost, 127.0.0.1, [::1]); configure gateway.security.tokens or gateway.security.oidc"
                        + " to serve other names");
    }

    static boolean isLoopbackName(String host) {
        return host != null
                && LOOPBACK_NAME.matcher(host.toLowerCase(Locale.ROOT)).matches();
    }
}
