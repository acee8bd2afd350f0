package io.slurmgateway.blobs;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The name of a blob: the SHA-256 of its bytes, written {@code sha256:<64 lowercase hex digits>}. The hex alone names
 * its files, in the gateway's store and in every cache, so it never holds anything but {@code [0-9a-f]}.
 *
 * @param hex 64 lowercase hex digits
 */
public record Digest(String hex) {

    public static final String PREFIX = "sha256:";
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public Digest {
        if (hex == null || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("a digest is 64 lowercase hex digits");
        }
    }

    /**
     * The digest named by {@code text}, {@code sha256:} and 64 hex digits (either case).
     *
     * @throws IllegalArgumentException when {@code text} is not one
     */
    public static Digest parse(String text) {
        if (text == null || !text.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new IllegalArgumentException("must be 'sha256:' and 64 hex digits");
        }
        String hex = text.substring(PREFIX.length()).toLowerCase(Locale.ROOT);
        if (!HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("must be 'sha256:' and 64 hex digits");
        }
        return new Digest(hex);
    }

    /** Whether {@code text} names a digest as {@link #parse} takes it. */
    public static boolean isDigest(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException notOne) {
            return false;
        }
    }

    /** The digest of bytes computed elsewhere. */
    public static Digest of(byte[] sha256) {
        return new Digest(HexFormat.of().formatHex(sha256));
    }

    /** The digest of {@code content}. */
    public static Digest ofContent(byte[] content) {
        return of(sha256().digest(content));
    }

    /** A fresh SHA-256, the hash every digest is. */
    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java has SHA-256", impossible);
        }
    }

    @Override
    public String toString() {
        return PREFIX + hex;
    }
}
