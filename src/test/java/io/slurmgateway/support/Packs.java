package io.slurmgateway.support;

import io.slurmgateway.blobs.Digest;
import io.slurmgateway.blobs.TestPacks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Environment packs and blob uploads for tests: tar.gz archives built in memory, and PUTs to a gateway's blob API. */
public final class Packs {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Packs() {}

    /**
     * A pack holding {@code activate.sh} (unless {@code activate} is null) and a Python package {@code name} whose
     * {@code VALUE} is {@code value}; activate.sh puts the package's directory on PYTHONPATH.
     */
    public static byte[] pythonPack(String name, String value, String activate) {
        Map<String, String> files = new java.util.LinkedHashMap<>();
        if (activate != null) {
            files.put("activate.sh", activate);
        }
        files.put("lib/" + name + "/__init__.py", "VALUE = '" + value + "'\n");
        return tarGz(files, Map.of());
    }

    /** The activate.sh of {@link #pythonPack}: its own directory's lib/ on PYTHONPATH. */
    public static final String ACTIVATE =
            "here=\"$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\"\nexport PYTHONPATH=\"$here/lib${PYTHONPATH:+:$PYTHONPATH}\"\n";

    /** A tar.gz of text files, plus symbolic links (name to target). */
    public static byte[] tarGz(Map<String, String> files, Map<String, String> links) {
        List<TestPacks.Entry> entries = new ArrayList<>();
        files.forEach((name, content) -> entries.add(TestPacks.file(name, content)));
        links.forEach((name, target) -> entries.add(TestPacks.symlink(name, target)));
        return TestPacks.tar(TestPacks.Compression.GZIP, entries.toArray(TestPacks.Entry[]::new));
    }

    public static String digest(byte[] bytes) {
        return Digest.ofContent(bytes).toString();
    }

    /** PUTs {@code bytes} as the blob {@code digest}; returns the response. */
    public static HttpResponse<String> put(int port, String digest, byte[] bytes, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/blobs/" + digest))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }

    /** The status of {@code HEAD} on the blob {@code digest}. */
    public static int head(int port, String digest) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/blobs/" + digest))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }

    /** Uploads {@code bytes} and returns their digest; the upload must be accepted. */
    public static String upload(int port, byte[] bytes) {
        String digest = digest(bytes);
        HttpResponse<String> response = put(port, digest, bytes, Map.of());
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw new AssertionError("the upload was refused: " + response.statusCode() + " " + response.body());
        }
        return digest;
    }
}
