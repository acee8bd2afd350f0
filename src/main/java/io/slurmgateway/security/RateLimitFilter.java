package io.slurmgateway.security;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Limits each principal's API requests with a token bucket (Bucket4j): {@code burst} at once, refilled at
 * {@code requests-per-minute}. Past it the request is refused with 429 and {@code Retry-After} in whole seconds.
 * Buckets are kept for the most recent principals only, so a flood of distinct JWT subjects cannot fill the heap.
 */
final class RateLimitFilter extends OncePerRequestFilter {

    private static final int MAX_PRINCIPALS = 10_000;

    private final SecurityProperties.Limits limits;
    private final ProblemWriter problems;
    private final Map<String, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_PRINCIPALS;
        }
    };

    RateLimitFilter(SecurityProperties.Limits limits, ProblemWriter problems) {
        this.limits = limits;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return limits.requestsPerMinute() == 0 || !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String principal = Callers.current().name();
        ConsumptionProbe probe = bucketOf(principal).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            chain.doFilter(request, response);
            return;
        }
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        problems.write(
                response,
                HttpStatus.TOO_MANY_REQUESTS,
                "too-many-requests",
                "Too many requests",
                "'" + principal + "' has sent more than " + limits.requestsPerMinute() + " requests a minute"
                        + " (gateway.security.limits.requests-per-minute); retry after " + seconds + " s");
    }

    private Bucket bucketOf(String principal) {
        synchronized (buckets) {
            return buckets.computeIfAbsent(principal, name -> Bucket.builder()
                    .addLimit(limit -> limit.capacity(limits.burst())
                            .refillGreedy(limits.requestsPerMinute(), Duration.ofMinutes(1)))
                    .build());
        }
    }
}
