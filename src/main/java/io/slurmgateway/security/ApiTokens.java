package io.slurmgateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Authenticates {@code Authorization: Bearer <token>} against the configured API tokens. Only digests are configured:
 * the presented token is hashed and compared with every configured digest in constant time, so neither the timing nor
 * the configuration reveals a token. A token that is not one of them is left to the next provider (JWT), which fails
 * it when there is none.
 */
final class ApiTokens implements AuthenticationProvider {

    private record Entry(String name, byte[] digest, List<SimpleGrantedAuthority> authorities) {}

    private final List<Entry> entries;

    ApiTokens(Map<String, SecurityProperties.Token> tokens) {
        this.entries = tokens.entrySet().stream()
                .map(token -> new Entry(
                        token.getKey(),
                        HexFormat.of().parseHex(token.getValue().sha256()),
                        token.getValue().roles().stream()
                                .map(role -> new SimpleGrantedAuthority(role.authority()))
                                .toList()))
                .toList();
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        byte[] presented = sha256(((BearerTokenAuthenticationToken) authentication).getToken());
        Entry match = null;
        for (Entry entry : entries) { // every entry, match or not, so the time taken says nothing
            if (MessageDigest.isEqual(entry.digest(), presented) && match == null) {
                match = entry;
            }
        }
        if (match == null) {
            return null;
        }
        return UsernamePasswordAuthenticationToken.authenticated(match.name(), null, match.authorities());
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
    }

    /** The digest operators configure for a token: lower-case hex SHA-256 of its UTF-8 bytes. */
    static String digestOf(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JVM provides SHA-256", impossible);
        }
    }
}
