package io.slurmgateway.runs.web;

import io.slurmgateway.runs.IdempotencyConflictException;
import io.slurmgateway.runs.IllegalRunTransitionException;
import io.slurmgateway.runs.InvalidRunSpecException;
import io.slurmgateway.runs.RunNotCancellableException;
import io.slurmgateway.runs.RunNotFoundException;
import io.slurmgateway.system.Problems;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The runs API's own problems: an invalid run request, an unknown run, an idempotency key reused with another body, a
 * run that has already ended. Consulted before the gateway-wide handler, whose catch-all would otherwise answer 500.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class RunProblemHandler {

    @ExceptionHandler
    ResponseEntity<Object> invalidSpec(InvalidRunSpecException invalid) {
        return Problems.invalidRequest(
                "The run request has " + invalid.violations().size() + " invalid field(s).",
                invalid.violations().stream()
                        .map(violation -> new Problems.FieldError(violation.field(), violation.message()))
                        .toList());
    }

    @ExceptionHandler
    ResponseEntity<Object> notFound(RunNotFoundException missing) {
        return Problems.response(
                HttpStatus.NOT_FOUND, Problems.type("run-not-found"), "Run not found", missing.getMessage(), Map.of());
    }

    @ExceptionHandler
    ResponseEntity<Object> idempotencyConflict(IdempotencyConflictException conflict) {
        return Problems.response(
                HttpStatus.CONFLICT,
                Problems.type("idempotency-conflict"),
                "Idempotency-Key reused with a different request",
                conflict.getMessage(),
                Map.of("runId", conflict.existingRunId()));
    }

    @ExceptionHandler
    ResponseEntity<Object> alreadyEnded(RunNotCancellableException ended) {
        return Problems.response(
                HttpStatus.CONFLICT,
                Problems.type("run-already-ended"),
                "Run already ended",
                ended.getMessage(),
                Map.of("state", ended.state()));
    }

    @ExceptionHandler
    ResponseEntity<Object> illegalTransition(IllegalRunTransitionException illegal) {
        return Problems.response(
                HttpStatus.CONFLICT,
                Problems.type("run-already-ended"),
                "Run cannot change state",
                illegal.getMessage(),
                Map.of());
    }
}
