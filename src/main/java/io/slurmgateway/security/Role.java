package io.slurmgateway.security;

/** What a caller may do; a caller has any number of roles. */
public enum Role {
    /** Read every run, its logs, events and results. */
    READER,
    /** Create runs; read and cancel its own. */
    SUBMITTER,
    /** Everything: read and cancel any run, see the clusters' hosts, users and raw errors. */
    ADMIN,
    /** Run payloads as processes on the gateway host (local mode), together with submitter or admin. */
    LOCAL;

    /** The role as Spring Security names it. */
    public String authority() {
        return "ROLE_" + name();
    }
}
