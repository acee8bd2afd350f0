package io.slurmgateway.system;

/** More event streams are open than {@code gateway.api.max-streams} allows; the client should retry later. */
public class TooManyStreamsException extends RuntimeException {

    public TooManyStreamsException(int limit) {
        super("this gateway already serves " + limit + " event streams; retry later");
    }
}
