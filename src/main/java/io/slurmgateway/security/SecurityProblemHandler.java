package io.slurmgateway.security;

import io.slurmgateway.system.Problems;
import java.util.List;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The problems of callers who may not do something, or have done too much of it. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class SecurityProblemHandler {

    @ExceptionHandler
    ResponseEntity<Object> notPermitted(NotPermittedException refused) {
        return Problems.response(
                HttpStatus.FORBIDDEN,
                Problems.type("forbidden"),
                "Not allowed",
                refused.getMessage(),
                Map.of("errors", List.of(new Problems.FieldError(refused.field(), refused.getMessage()))));
    }

    @ExceptionHandler
    ResponseEntity<Object> limitExceeded(LimitExceededException exceeded) {
        ResponseEntity<Object> problem = Problems.response(
                HttpStatus.TOO_MANY_REQUESTS,
                Problems.type("too-many-requests"),
                "Too many requests",
                exceeded.getMessage(),
                Map.of());
        return ResponseEntity.status(problem.getStatusCode())
                .headers(problem.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(exceeded.retryAfterSeconds()))
                .body(problem.getBody());
    }
}
