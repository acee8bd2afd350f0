package io.slurmgateway.system;

import java.io.IOException;

/** A request body over {@code gateway.api.max-request-size}; an IOException because it surfaces from a stream read. */
public class RequestBodyTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    private final long limit;

    public RequestBodyTooLargeException(long limit) {
        super("the request body is larger than " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
