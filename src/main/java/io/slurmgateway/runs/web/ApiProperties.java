package io.slurmgateway.runs.web;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the runs API ({@code gateway.api.*}): request bodies, pages, reads and server-sent event streams.
 *
 * @param maxRequestSize the largest request body; larger ones are refused with 413 before they are read
 * @param maxPageSize the largest {@code size} of a page of runs
 * @param maxLogRead the most bytes one log read returns
 * @param maxEventsPerRead the most events one events read returns
 * @param maxEventBytesPerRead the most event data one events or results read returns, past its first event (a Dagster
 *     Pipes message may be up to {@code gateway.pipes.max-message-size})
 * @param streamPollInterval how often open SSE streams are checked: for heartbeats, rechecks and stalled clients
 * @param streamRecheckInterval how often an SSE stream reads its source when this instance saw no change to the run
 *     (a change made by another instance reaches a stream at most this late)
 * @param streamTimeout how long one SSE response stays open; clients reconnect with {@code Last-Event-ID}
 * @param streamThreads threads shared by all SSE streams for reading their sources; writes need none
 * @param streamBuffer the most bytes an SSE stream holds for a client that has not taken them yet (plus at most one
 *     read's worth); a stream with a full buffer reads nothing more until the client catches up
 * @param streamStallTimeout how long a client may take nothing of the bytes waiting for it before its stream is
 *     dropped
 * @param streamHeartbeat how often a quiet SSE stream sends a comment, which keeps proxies from closing it and lets the
 *     gateway notice clients that have gone
 * @param maxStreams how many SSE streams may be open at once; more are refused with 503
 */
@Validated
@ConfigurationProperties("gateway.api")
public record ApiProperties(
        @DefaultValue("1MB") @NotNull DataSize maxRequestSize,
        @DefaultValue("200") @Min(1) int maxPageSize,
        @DefaultValue("1MB") @NotNull DataSize maxLogRead,
        @DefaultValue("1000") @Min(1) int maxEventsPerRead,
        @DefaultValue("4MB") @NotNull DataSize maxEventBytesPerRead,
        @DefaultValue("250ms") @NotNull Duration streamPollInterval,
        @DefaultValue("10s") @NotNull Duration streamRecheckInterval,
        @DefaultValue("30m") @NotNull Duration streamTimeout,
        @DefaultValue("2") @Min(1) int streamThreads,
        @DefaultValue("1MB") @NotNull DataSize streamBuffer,
        @DefaultValue("30s") @NotNull Duration streamStallTimeout,
        @DefaultValue("15s") @NotNull Duration streamHeartbeat,
        @DefaultValue("1000") @Min(1) int maxStreams) {}
