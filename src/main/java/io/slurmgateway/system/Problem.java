package io.slurmgateway.system;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The shape of every error response (RFC 9457), for the API document; {@link ApiExceptionHandler} writes them. */
@Schema(name = "Problem", description = "RFC 9457 problem details, as application/problem+json")
record Problem(
        @Schema(example = "urn:slurm-gateway:problem:invalid-request") String type,
        @Schema(example = "Invalid request") String title,
        @Schema(example = "400") int status,
        String detail,
        String instance,
        @Schema(description = "Each offending field, for input errors") List<FieldError> errors) {

    record FieldError(@Schema(example = "resources.memory") String field, String message) {}
}
