package io.slurmgateway.security;

import java.util.EnumSet;
import java.util.Set;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/** The caller of the request being served, as the security filter chain authenticated it. */
public final class Callers {

    private Callers() {}

    /**
     * The current request's caller. Outside a request, or for a request that was not authenticated (which the filter
     * chain lets through only when authentication is off), this is {@link Caller#UNAUTHENTICATED}'s name with the
     * roles the chain granted.
     */
    public static Caller current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null) {
            return new Caller(Caller.UNAUTHENTICATED.name(), Set.of());
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            for (Role role : Role.values()) {
                if (role.authority().equals(authority.getAuthority())) {
                    roles.add(role);
                }
            }
        }
        String name = authentication instanceof AnonymousAuthenticationToken
                ? Caller.UNAUTHENTICATED.name()
                : authentication.getName();
        return new Caller(name, roles);
    }
}
