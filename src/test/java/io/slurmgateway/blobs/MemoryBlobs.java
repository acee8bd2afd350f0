package io.slurmgateway.blobs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Blobs held in memory, which may be given bytes that do not match their digest, as a damaged store would. */
final class MemoryBlobs implements BlobSource {

    private final Map<Digest, byte[]> contents = new ConcurrentHashMap<>();

    Digest add(byte[] content) {
        Digest digest = TestPacks.digestOf(content);
        contents.put(digest, content);
        return digest;
    }

    void putDamaged(Digest digest, byte[] content) {
        contents.put(digest, content);
    }

    @Override
    public long size(Digest digest) throws IOException {
        return content(digest).length;
    }

    @Override
    public InputStream open(Digest digest) throws IOException {
        return new ByteArrayInputStream(content(digest));
    }

    private byte[] content(Digest digest) throws NoSuchFileException {
        byte[] content = contents.get(digest);
        if (content == null) {
            throw new NoSuchFileException(digest.toString());
        }
        return content;
    }
}
