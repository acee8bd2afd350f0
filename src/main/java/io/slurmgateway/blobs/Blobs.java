package io.slurmgateway.blobs;

import java.io.IOException;
import java.io.InputStream;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * The blobs the gateway holds: their bytes in the {@link BlobStore}, and in the database what is stored, who uploaded
 * it, and which runs name it. A blob is stored once however many principals upload it, but each sees and names only
 * what it uploaded itself: uploading proves it has the bytes, so a digest alone never lets anyone use another's blob.
 */
@Service
public class Blobs {

    /** Whether an upload stored something new for its principal. */
    public enum Outcome {
        CREATED,
        EXISTED
    }

    public record Stored(Outcome outcome, BlobInfo blob) {}

    /**
     * The run states after which a run needs nothing more: RunState's terminal states, spelled out because this module
     * sits below runs (a test in runs keeps the two equal).
     */
    public static final String FINISHED = "('COMPLETED', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'SUBMIT_FAILED')";

    private static final String COLUMNS = "b.digest, b.size_bytes, b.stored_at, b.last_used_at";

    private final BlobStore store;
    private final JdbcTemplate jdbc;
    private final BlobProperties properties;
    private final Clock clock;
    private final AtomicLong reserved = new AtomicLong();

    Blobs(BlobStore store, JdbcTemplate jdbc, BlobProperties properties, Clock clock) {
        this.store = store;
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Stores an upload of {@code owner}'s. A blob the owner uploaded before is not read again; one another principal
     * uploaded is read and checked (the owner must have the bytes) but not stored twice.
     *
     * @param length the body's declared length
     */
    public Stored put(String owner, Digest digest, InputStream content, long length) throws IOException {
        Optional<BlobInfo> own = find(owner, false, digest);
        if (own.isPresent()) {
            return new Stored(Outcome.EXISTED, own.get());
        }
        long max = properties.maxSize().toBytes();
        if (length > max) {
            throw new BlobTooLargeException(max);
        }
        long quota = properties.quota().toBytes();
        long used = usedBytes();
        if (reserved.addAndGet(length) + used > quota) {
            long taken = reserved.addAndGet(-length) + used;
            throw new BlobQuotaExceededException(length, taken, quota);
        }
        try {
            store.store(digest, content, Math.min(max, length));
        } finally {
            reserved.addAndGet(-length);
        }
        Instant now = clock.instant();
        try {
            jdbc.update(
                    "INSERT INTO blob (digest, size_bytes, stored_at, last_used_at) VALUES (?, ?, ?, ?)",
                    digest.hex(),
                    store.size(digest),
                    Timestamp.from(now),
                    Timestamp.from(now));
        } catch (DuplicateKeyException storedBefore) {
            jdbc.update("UPDATE blob SET last_used_at = ? WHERE digest = ?", Timestamp.from(now), digest.hex());
        }
        try {
            jdbc.update(
                    "INSERT INTO blob_owner (digest, owner, granted_at) VALUES (?, ?, ?)",
                    digest.hex(),
                    owner,
                    Timestamp.from(now));
        } catch (DuplicateKeyException sameUploadTwiceAtOnce) {
            // the same principal's two uploads of the same bytes met: it owns the blob either way
        }
        return new Stored(Outcome.CREATED, find(owner, false, digest).orElseThrow());
    }

    /** The blob as {@code owner} sees it: absent unless it uploaded it, or {@code readsAll}. */
    public Optional<BlobInfo> find(String owner, boolean readsAll, Digest digest) {
        List<BlobInfo> found = readsAll
                ? jdbc.query("SELECT " + COLUMNS + " FROM blob b WHERE b.digest = ?", Blobs::info, digest.hex())
                : jdbc.query(
                        "SELECT " + COLUMNS + " FROM blob b JOIN blob_owner o ON o.digest = b.digest"
                                + " WHERE b.digest = ? AND o.owner = ?",
                        Blobs::info,
                        digest.hex(),
                        owner);
        return found.stream().findFirst();
    }

    /** Which of {@code digests} {@code owner} uploaded. */
    public Set<Digest> ownedBy(String owner, Collection<Digest> digests) {
        if (digests.isEmpty()) {
            return Set.of();
        }
        List<Object> arguments = new ArrayList<>();
        arguments.add(owner);
        digests.forEach(digest -> arguments.add(digest.hex()));
        String placeholders = String.join(", ", Collections.nCopies(digests.size(), "?"));
        return new HashSet<>(jdbc.query(
                "SELECT digest FROM blob_owner WHERE owner = ? AND digest IN (" + placeholders + ")",
                (row, n) -> new Digest(row.getString(1).trim()),
                arguments.toArray()));
    }

    /** A page of the blobs {@code owner} uploaded (all blobs when {@code readsAll}), newest first. */
    public List<BlobInfo> list(String owner, boolean readsAll, int page, int size) {
        return readsAll
                ? jdbc.query(
                        "SELECT " + COLUMNS + " FROM blob b ORDER BY b.stored_at DESC, b.digest LIMIT ? OFFSET ?",
                        Blobs::info,
                        size,
                        (long) page * size)
                : jdbc.query(
                        "SELECT " + COLUMNS + " FROM blob b JOIN blob_owner o ON o.digest = b.digest WHERE o.owner = ?"
                                + " ORDER BY o.granted_at DESC, b.digest LIMIT ? OFFSET ?",
                        Blobs::info,
                        owner,
                        size,
                        (long) page * size);
    }

    /** How many blobs {@link #list} pages through. */
    public long count(String owner, boolean readsAll) {
        Long count = readsAll
                ? jdbc.queryForObject("SELECT COUNT(*) FROM blob", Long.class)
                : jdbc.queryForObject("SELECT COUNT(*) FROM blob_owner WHERE owner = ?", Long.class, owner);
        return count == null ? 0 : count;
    }

    /**
     * Records that a run names these blobs, in the transaction that creates it: from then on they are kept while the
     * run is unfinished, and their retention starts again.
     */
    public void reference(UUID runId, Collection<Digest> digests) {
        Timestamp now = Timestamp.from(clock.instant());
        for (Digest digest : digests) {
            jdbc.update("UPDATE blob SET last_used_at = ? WHERE digest = ?", now, digest.hex());
            jdbc.update("INSERT INTO run_blob (run_id, digest) VALUES (?, ?)", runId, digest.hex());
        }
    }

    /**
     * Removes the blobs that no unfinished run names and that nobody uploaded or named for
     * {@code gateway.blobs.retention}. A blob named again meanwhile keeps its row: the delete rechecks both conditions.
     *
     * @return the blobs removed
     */
    public List<Digest> removeUnused() throws IOException {
        if (properties.retention().isZero()) {
            return List.of();
        }
        Timestamp cutoff = Timestamp.from(clock.instant().minus(properties.retention()));
        String unused = " b.last_used_at < ? AND NOT EXISTS (SELECT 1 FROM run_blob rb JOIN run r ON r.id = rb.run_id"
                + " WHERE rb.digest = b.digest AND r.state NOT IN " + FINISHED + ")";
        List<Digest> candidates = jdbc.query(
                "SELECT b.digest FROM blob b WHERE" + unused,
                (row, n) -> new Digest(row.getString(1).trim()),
                cutoff);
        List<Digest> removed = new ArrayList<>();
        for (Digest digest : candidates) {
            if (jdbc.update("DELETE FROM blob b WHERE b.digest = ? AND" + unused, digest.hex(), cutoff) == 1) {
                store.delete(digest);
                removed.add(digest);
            }
        }
        return removed;
    }

    /**
     * The blobs that unfinished runs name: of one cluster's runs, or of local runs when {@code cluster} is null. A cache
     * never removes these.
     */
    public Set<Digest> inUse(String cluster) {
        String where = cluster == null ? "r.cluster IS NULL" : "r.cluster = ?";
        Object[] arguments = cluster == null ? new Object[0] : new Object[] {cluster};
        return new HashSet<>(jdbc.query(
                "SELECT DISTINCT rb.digest FROM run_blob rb JOIN run r ON r.id = rb.run_id WHERE " + where
                        + " AND r.state NOT IN " + FINISHED,
                (row, n) -> new Digest(row.getString(1).trim()),
                arguments));
    }

    /** The bytes all stored blobs take together, as recorded. */
    long usedBytes() {
        Long used = jdbc.queryForObject("SELECT COALESCE(SUM(size_bytes), 0) FROM blob", Long.class);
        return used == null ? 0 : used;
    }

    BlobStore store() {
        return store;
    }

    private static BlobInfo info(ResultSet row, int number) throws SQLException {
        return new BlobInfo(
                new Digest(row.getString(1).trim()),
                row.getLong(2),
                row.getTimestamp(3).toInstant(),
                row.getTimestamp(4).toInstant());
    }
}
