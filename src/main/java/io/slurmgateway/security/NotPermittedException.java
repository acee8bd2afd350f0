package io.slurmgateway.security;

/** The caller is known but may not do this; answered with 403, naming the request field that asked for it. */
public class NotPermittedException extends RuntimeException {

    private final String field;

    public NotPermittedException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
