package io.slurmgateway.blobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;

/**
 * The work a cache is doing right now, by key, so that callers asking for the same thing at once share one transfer
 * or unpack instead of repeating it, while different keys proceed in parallel.
 */
final class InFlight {

    /** Work for one key, done by whoever claimed it first. */
    interface Work {
        String run() throws IOException;
    }

    /** A key's work: {@code mine} when this caller must do it and complete {@code result}, else one to wait for. */
    record Claim(String key, CompletableFuture<String> result, boolean mine) {}

    private final ConcurrentMap<String, CompletableFuture<String>> running = new ConcurrentHashMap<>();

    Claim claim(String key) {
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> theirs = running.putIfAbsent(key, mine);
        return theirs == null ? new Claim(key, mine, true) : new Claim(key, theirs, false);
    }

    /**
     * Ends a claim of this caller: whoever comes next starts afresh and sees what the work left on the host. A result
     * not completed by now is failed with {@code failure}, so no waiter is left hanging.
     */
    void release(Claim claim, Throwable failure) {
        claim.result().completeExceptionally(failure);
        running.remove(claim.key(), claim.result());
    }

    /** Whether any work on the key {@code key} is under way. */
    boolean isRunning(String key) {
        return running.containsKey(key);
    }

    /** Does {@code work} once for every caller that asks for {@code key} while it runs. */
    String once(String key, Work work) throws IOException {
        Claim claim = claim(key);
        if (!claim.mine()) {
            return await(claim);
        }
        Throwable outcome = new IllegalStateException("the work for " + key + " ended without a result");
        try {
            String result = work.run();
            claim.result().complete(result);
            return result;
        } catch (IOException | RuntimeException | Error failed) {
            outcome = failed;
            throw failed;
        } finally {
            release(claim, outcome);
        }
    }

    /** The result of someone else's work, with its own exception when it failed. */
    static String await(Claim claim) throws IOException {
        try {
            return claim.result().get();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + claim.key(), interrupted);
        } catch (CancellationException cancelled) {
            throw new IOException("the work for " + claim.key() + " was cancelled", cancelled);
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof UncheckedIOException unchecked) {
                throw unchecked.getCause();
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException("the work for " + claim.key() + " failed", cause);
        }
    }
}
