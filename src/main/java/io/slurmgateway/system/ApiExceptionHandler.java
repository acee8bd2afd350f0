package io.slurmgateway.system;

import io.slurmgateway.system.Problems.FieldError;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every error that no module's own handler (such as the runs API's) answered into an RFC 9457 problem with a
 * stable {@code type}: unreadable bodies, wrong parameter types, oversized bodies, too many streams, and server
 * faults, which reveal nothing of their cause to the client. Input problems name each offending field in
 * {@code errors}.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    private static final URI REQUEST_TOO_LARGE = Problems.type("request-too-large");
    private static final URI INTERNAL_ERROR = Problems.type("internal-error");
    private static final URI TOO_MANY_STREAMS = Problems.type("too-many-streams");
    private static final String RETRY_STREAMS_AFTER_SECONDS = "5";

    @ExceptionHandler
    ResponseEntity<Object> invalidParameter(InvalidParameterException invalid) {
        return invalidRequest(
                "Invalid " + invalid.parameter() + ": " + invalid.getMessage(),
                List.of(new FieldError(invalid.parameter(), invalid.getMessage())));
    }

    @ExceptionHandler
    ResponseEntity<Object> tooManyStreams(TooManyStreamsException busy) {
        ResponseEntity<Object> problem = problem(
                HttpStatus.SERVICE_UNAVAILABLE,
                TOO_MANY_STREAMS,
                "Too many event streams",
                busy.getMessage(),
                Map.of());
        return ResponseEntity.status(problem.getStatusCode())
                .headers(problem.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, RETRY_STREAMS_AFTER_SECONDS)
                .body(problem.getBody());
    }

    @ExceptionHandler
    ResponseEntity<Object> unexpected(RuntimeException failure) {
        log.error("request failed unexpectedly", failure);
        return problem(
                HttpStatus.INTERNAL_SERVER_ERROR,
                INTERNAL_ERROR,
                "Internal error",
                "The gateway failed to handle this request; the failure is in its log.",
                Map.of());
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException unreadable,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        if (causeOfType(unreadable, RequestBodyTooLargeException.class)
                instanceof RequestBodyTooLargeException tooLarge) {
            return problem(
                    HttpStatus.CONTENT_TOO_LARGE,
                    REQUEST_TOO_LARGE,
                    "Request body too large",
                    tooLarge.getMessage(),
                    Map.of("errors", List.of(new FieldError("body", tooLarge.getMessage()))));
        }
        Throwable cause = causeOfType(unreadable, JacksonException.class);
        if (cause instanceof StreamReadException malformed) {
            String message = "is not valid JSON: " + malformed.getOriginalMessage();
            return invalidRequest("The request body " + message, List.of(new FieldError("body", message)));
        }
        if (cause instanceof JacksonException wrong) {
            String field = fieldPath(wrong);
            String message = cause instanceof UnrecognizedPropertyException
                    ? "is not a known field"
                    : cause instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
                            ? "must be " + jsonKind(mismatch.getTargetType())
                            : "has the wrong type or format";
            return invalidRequest("Invalid field " + field + ": " + message, List.of(new FieldError(field, message)));
        }
        String message = "is missing or unreadable";
        return invalidRequest("The request body " + message, List.of(new FieldError("body", message)));
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(
            TypeMismatchException mismatch, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String name = mismatch instanceof MethodArgumentTypeMismatchException argument
                ? argument.getName()
                : mismatch.getPropertyName();
        String message = "'" + mismatch.getValue() + "' is not a valid value";
        return invalidRequest("Invalid " + name + ": " + message, List.of(new FieldError(name, message)));
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(
            Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem
                && (problem.getType() == null || problem.getType().equals(URI.create("about:blank")))) {
            problem.setType(Problems.type(HttpStatus.valueOf(statusCode.value())
                    .name()
                    .toLowerCase(Locale.ROOT)
                    .replace('_', '-')));
        }
        HttpHeaders problemHeaders = new HttpHeaders();
        problemHeaders.putAll(headers);
        problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return super.createResponseEntity(body, problemHeaders, statusCode, request);
    }

    private static ResponseEntity<Object> invalidRequest(String detail, List<FieldError> errors) {
        return Problems.invalidRequest(detail, errors);
    }

    private static ResponseEntity<Object> problem(
            HttpStatus status, URI type, String title, String detail, Map<String, Object> properties) {
        return Problems.response(status, type, title, detail, properties);
    }

    private static Throwable causeOfType(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return cause;
            }
        }
        return null;
    }

    /** The JSON kind a Java target type is read from, in the words of the API rather than of Java. */
    private static String jsonKind(Class<?> target) {
        if (target == Integer.class || target == int.class || target == Long.class || target == long.class) {
            return "a whole number";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "true or false";
        }
        if (target == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(target)) {
            return "an array";
        }
        return "an object";
    }

    private static String fieldPath(JacksonException failure) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : failure.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }
}
