package io.slurmgateway.security;

import java.util.EnumSet;
import java.util.Set;

/**
 * Who a request comes from: the principal's name (an API token's configured name, or the JWT claim that names the
 * principal) and its roles. Runs record the name as {@code createdBy}.
 */
public record Caller(String name, Set<Role> roles) {

    /** Who every request is when no authentication is configured: only reachable on loopback, and trusted fully. */
    public static final Caller UNAUTHENTICATED = new Caller("anonymous", EnumSet.allOf(Role.class));

    public Caller {
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** Whether the caller may read every run, not only its own. */
    public boolean readsAll() {
        return has(Role.READER) || has(Role.ADMIN);
    }

    /** Whether the caller may see a run created by {@code createdBy}. */
    public boolean sees(String createdBy) {
        return readsAll() || name.equals(createdBy);
    }
}
