package io.slurmgateway.blobs.web;

import io.slurmgateway.blobs.BlobQuotaExceededException;
import io.slurmgateway.blobs.BlobTooLargeException;
import io.slurmgateway.blobs.DigestMismatchException;
import io.slurmgateway.system.Problems;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The blob API's problems; nothing of a refused or broken upload is kept. */
@RestControllerAdvice(assignableTypes = BlobController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class BlobProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(BlobProblemHandler.class);

    @ExceptionHandler
    ResponseEntity<Object> notFound(BlobNotFoundException missing) {
        return Problems.response(
                HttpStatus.NOT_FOUND,
                Problems.type("blob-not-found"),
                "Blob not found",
                missing.getMessage(),
                Map.of());
    }

    @ExceptionHandler
    ResponseEntity<Object> lengthRequired(LengthRequiredException missing) {
        return Problems.response(
                HttpStatus.LENGTH_REQUIRED,
                Problems.type("length-required"),
                "Content-Length required",
                missing.getMessage(),
                Map.of());
    }

    @ExceptionHandler
    ResponseEntity<Object> mismatch(DigestMismatchException mismatch) {
        return Problems.response(
                HttpStatus.BAD_REQUEST,
                Problems.type("digest-mismatch"),
                "The bytes do not match the digest",
                mismatch.getMessage() + "; nothing was stored",
                Map.of("actual", mismatch.actual().toString()));
    }

    @ExceptionHandler
    ResponseEntity<Object> tooLarge(BlobTooLargeException tooLarge) {
        return Problems.response(
                HttpStatus.CONTENT_TOO_LARGE,
                Problems.type("request-too-large"),
                "Blob too large",
                tooLarge.getMessage() + "; nothing was stored",
                Map.of());
    }

    @ExceptionHandler
    ResponseEntity<Object> quota(BlobQuotaExceededException full) {
        return Problems.response(
                HttpStatus.INSUFFICIENT_STORAGE,
                Problems.type("blob-quota-exceeded"),
                "Blob store full",
                full.getMessage(),
                Map.of());
    }

    /** Reading the body or writing the store failed: usually a client that went away mid-upload. */
    @ExceptionHandler
    ResponseEntity<Object> interrupted(IOException failed) {
        log.info("an upload failed and nothing of it was kept: {}", failed.toString());
        return Problems.response(
                HttpStatus.BAD_REQUEST,
                Problems.type("upload-failed"),
                "Upload failed",
                "the upload did not complete (" + failed.getMessage() + "); nothing was stored, send it again",
                Map.of());
    }
}
