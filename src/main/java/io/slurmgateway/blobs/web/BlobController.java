package io.slurmgateway.blobs.web;

import io.slurmgateway.blobs.BlobInfo;
import io.slurmgateway.blobs.Blobs;
import io.slurmgateway.blobs.Digest;
import io.slurmgateway.runs.web.ApiProperties;
import io.slurmgateway.security.Audit;
import io.slurmgateway.security.Caller;
import io.slurmgateway.security.Callers;
import io.slurmgateway.system.InvalidParameterException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Content-addressed uploads: environment packs and run files, named by the SHA-256 of their bytes. */
@RestController
@RequestMapping(path = "/api/v1/blobs", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "blobs")
class BlobController {

    private final Blobs blobs;
    private final ApiProperties api;

    BlobController(Blobs blobs, ApiProperties api) {
        this.blobs = blobs;
        this.api = api;
    }

    /** Stores the body as the blob its digest names: streamed to disk, checked, and kept only when it matched. */
    @PutMapping(path = "/{digest}", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    @Operation(
            summary = "Upload a blob",
            description = "The body is the blob's bytes, with Content-Length. A blob this caller uploaded before is not"
                    + " read again. Runs name blobs as environment packs and files.",
            requestBody =
                    @RequestBody(
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                                            schema = @Schema(type = "string", format = "binary"))),
            responses = {
                @ApiResponse(
                        responseCode = "201",
                        description = "Stored: new to this caller",
                        content = @Content(schema = @Schema(implementation = BlobResponse.class))),
                @ApiResponse(
                        responseCode = "200",
                        description = "This caller uploaded it before; the body was not read",
                        content = @Content(schema = @Schema(implementation = BlobResponse.class))),
                @ApiResponse(responseCode = "400", description = "The bytes are not the ones the digest names"),
                @ApiResponse(responseCode = "411", description = "No Content-Length"),
                @ApiResponse(responseCode = "413", description = "Larger than gateway.blobs.max-size"),
                @ApiResponse(responseCode = "507", description = "The store would pass gateway.blobs.quota")
            })
    ResponseEntity<BlobResponse> put(
            @Parameter(description = "sha256:<64 hex digits>") @PathVariable String digest, HttpServletRequest request)
            throws IOException {
        Digest name = parse(digest);
        long length = request.getContentLengthLong();
        if (length < 0) {
            throw new LengthRequiredException();
        }
        Caller caller = Callers.current();
        Blobs.Stored stored = blobs.put(caller.name(), name, request.getInputStream(), length);
        Audit.mutation(
                caller, "upload", null, name + " " + stored.outcome().name().toLowerCase(Locale.ROOT));
        BlobResponse body = BlobResponse.of(stored.blob());
        if (stored.outcome() == Blobs.Outcome.EXISTED) {
            return ResponseEntity.ok(body);
        }
        return ResponseEntity.created(URI.create("/api/v1/blobs/" + name)).body(body);
    }

    /** A blob this caller uploaded; {@code HEAD} says whether it is there without a body. */
    @GetMapping("/{digest}")
    @Operation(
            summary = "A blob's size and times (HEAD: whether the caller has it)",
            responses = {
                @ApiResponse(responseCode = "200", description = "The caller uploaded it"),
                @ApiResponse(responseCode = "404", description = "The caller has uploaded no such blob")
            })
    BlobResponse get(@Parameter(description = "sha256:<64 hex digits>") @PathVariable String digest) {
        Digest name = parse(digest);
        Caller caller = Callers.current();
        BlobInfo blob =
                blobs.find(caller.name(), caller.readsAll(), name).orElseThrow(() -> new BlobNotFoundException(name));
        return BlobResponse.of(blob);
    }

    /** The blobs this caller uploaded (every blob for one that reads all), newest first. */
    @GetMapping
    @Operation(summary = "List the caller's blobs")
    BlobPage list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        if (page < 0) {
            throw new InvalidParameterException("page", "must be 0 or more");
        }
        if (size < 1 || size > api.maxPageSize()) {
            throw new InvalidParameterException("size", "must be between 1 and " + api.maxPageSize());
        }
        Caller caller = Callers.current();
        List<BlobResponse> items = blobs.list(caller.name(), caller.readsAll(), page, size).stream()
                .map(BlobResponse::of)
                .toList();
        long total = blobs.count(caller.name(), caller.readsAll());
        return new BlobPage(items, page, size, total, (int) ((total + size - 1) / size));
    }

    private static Digest parse(String digest) {
        try {
            return Digest.parse(digest);
        } catch (IllegalArgumentException invalid) {
            throw new InvalidParameterException("digest", invalid.getMessage());
        }
    }
}
