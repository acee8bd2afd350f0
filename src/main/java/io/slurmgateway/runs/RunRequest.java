package io.slurmgateway.runs;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/**
 * What a client asked for, as stored with the run: never changes after the run is accepted.
 *
 * @param launcher the launcher that turns the spec into a job script
 * @param spec the {@link io.slurmgateway.launch.RunSpec}, defaults applied, as JSON
 * @param idempotencyKey the client's {@code Idempotency-Key}; null when it sent none
 * @param fingerprint SHA-256 of the canonical request, to tell a repeat from a different request under the same key
 * @param createdBy the principal who asked: it owns the run, and scopes its idempotency key
 * @param resources the spec's {@code resources} alone, as JSON, so that lists need not read whole specs; null for runs
 *     stored before it was kept apart (and for a spec without resources)
 */
@Embeddable
public record RunRequest(
        @Column(name = "launcher") String launcher,
        @Column(name = "spec") String spec,
        @Column(name = "idempotency_key") String idempotencyKey,
        @Column(name = "request_fingerprint") String fingerprint,
        @Column(name = "created_by") String createdBy,
        @Column(name = "resources") String resources) {}
