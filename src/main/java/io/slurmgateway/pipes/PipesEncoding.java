package io.slurmgateway.pipes;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The Dagster Pipes encoding of bootstrap values: standard Base64 (with padding) of the zlib stream (RFC 1950: header,
 * deflate, Adler-32; not raw deflate, not gzip) of UTF-8 JSON text.
 */
public final class PipesEncoding {

    private PipesEncoding() {}

    public static String encode(String json) {
        Deflater deflater = new Deflater(); // zlib format, as Python's zlib.compress
        try {
            deflater.setInput(json.getBytes(StandardCharsets.UTF_8));
            deflater.finish();
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) {
                compressed.write(buffer, 0, deflater.deflate(buffer));
            }
            return Base64.getEncoder().encodeToString(compressed.toByteArray());
        } finally {
            deflater.end();
        }
    }

    /** The JSON text of an encoded value; fails on anything that is not Base64 of a complete zlib stream. */
    public static String decode(String encoded) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(Base64.getDecoder().decode(encoded));
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int inflated = inflater.inflate(buffer);
                if (inflated == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("not a complete zlib stream");
                }
                json.write(buffer, 0, inflated);
            }
            return json.toString(StandardCharsets.UTF_8);
        } catch (DataFormatException corrupt) {
            throw new IllegalArgumentException("not a zlib stream: " + corrupt.getMessage(), corrupt);
        } finally {
            inflater.end();
        }
    }
}
