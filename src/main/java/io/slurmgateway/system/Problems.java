package io.slurmgateway.system;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * The one way an error becomes an RFC 9457 response: {@code application/problem+json} with a stable
 * {@code urn:slurm-gateway:problem:<name>} type. Each module's exception handler builds its problems here.
 */
public final class Problems {

    private Problems() {}

    /** One field that broke a rule; {@code field} is a dotted path into the request, or a parameter's name. */
    public record FieldError(String field, String message) {}

    /** The stable type of a kind of problem. */
    public static URI type(String name) {
        return URI.create("urn:slurm-gateway:problem:" + name);
    }

    /** A problem response; {@code properties} become extra members of the document. */
    public static ResponseEntity<Object> response(
            HttpStatus status, URI type, String title, String detail, Map<String, Object> properties) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type);
        problem.setTitle(title);
        properties.forEach(problem::setProperty);
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    /** A 400 naming every offending field. */
    public static ResponseEntity<Object> invalidRequest(String detail, List<FieldError> errors) {
        return response(
                HttpStatus.BAD_REQUEST, type("invalid-request"), "Invalid request", detail, Map.of("errors", errors));
    }
}
