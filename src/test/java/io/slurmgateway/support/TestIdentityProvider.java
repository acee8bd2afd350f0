package io.slurmgateway.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * An identity provider for tests: an RSA key the test generates, its public JWK set served over real HTTP from a port
 * the server picked, and JWTs signed with it (or with a foreign key, or not at all) for the gateway to judge.
 */
public final class TestIdentityProvider implements AutoCloseable {

    public static final String ISSUER = "https://idp.test.invalid/realms/hpc";
    public static final String AUDIENCE = "slurm-gateway";

    private final RSAKey key = generate("gateway-test-key");
    private final RSAKey foreignKey = generate("gateway-test-key"); // same key id, other key: a forgery
    private final HttpServer server;

    public TestIdentityProvider() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        server.createContext("/jwks.json", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        server.start();
    }

    /** Where the public keys are, on the port the server reports. */
    public String jwkSetUri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
    }

    /** A valid token for {@code subject} with {@code roles}, for this gateway, valid for five minutes. */
    public String token(String subject, List<String> roles) {
        return sign(claims(subject, roles, AUDIENCE, ISSUER, Instant.now().plus(Duration.ofMinutes(5))), key);
    }

    public String expiredToken(String subject, List<String> roles) {
        return sign(claims(subject, roles, AUDIENCE, ISSUER, Instant.now().minus(Duration.ofMinutes(10))), key);
    }

    public String tokenForAudience(String subject, List<String> roles, String audience) {
        return sign(claims(subject, roles, audience, ISSUER, Instant.now().plus(Duration.ofMinutes(5))), key);
    }

    public String tokenFromIssuer(String subject, List<String> roles, String issuer) {
        return sign(claims(subject, roles, AUDIENCE, issuer, Instant.now().plus(Duration.ofMinutes(5))), key);
    }

    /** A token signed with a key the gateway was never given, under the same key id. */
    public String forgedToken(String subject, List<String> roles) {
        return sign(claims(subject, roles, AUDIENCE, ISSUER, Instant.now().plus(Duration.ofMinutes(5))), foreignKey);
    }

    /** A token with {@code alg: none}: claims anyone could have written. */
    public String unsignedToken(String subject, List<String> roles) {
        return new PlainJWT(
                        claims(subject, roles, AUDIENCE, ISSUER, Instant.now().plus(Duration.ofMinutes(5))))
                .serialize();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static JWTClaimsSet claims(
            String subject, List<String> roles, String audience, String issuer, Instant expiresAt) {
        return new JWTClaimsSet.Builder()
                .subject(subject)
                .issuer(issuer)
                .audience(audience)
                .claim("roles", roles)
                .issueTime(Date.from(expiresAt.minus(Duration.ofMinutes(10))))
                .expirationTime(Date.from(expiresAt))
                .build();
    }

    private static String sign(JWTClaimsSet claims, RSAKey with) {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(with.getKeyID())
                            .build(),
                    claims);
            jwt.sign(new RSASSASigner(with));
            return jwt.serialize();
        } catch (JOSEException failed) {
            throw new IllegalStateException(failed);
        }
    }

    private static RSAKey generate(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (JOSEException failed) {
            throw new IllegalStateException(failed);
        }
    }
}
