package io.slurmgateway.blobs;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Whether a blob is usable as an environment pack: a tar archive (plain, gzip or zstd) with no entry that leads out of
 * it, and, where {@code tar} unpacks it, {@code activate.sh} at its root. A pack is read once for each question; the
 * verdict is kept with the blob, so later runs cost a row read.
 */
@Component
public class PackChecks {

    private final BlobStore store;
    private final JdbcTemplate jdbc;

    PackChecks(BlobStore store, JdbcTemplate jdbc) {
        this.store = store;
        this.jdbc = jdbc;
    }

    /**
     * What is wrong with the blob as a pack; empty when nothing.
     *
     * @param requireActivate whether it must hold {@code activate.sh} at its root (no unpack command configured)
     */
    public Optional<String> problem(Digest pack, boolean requireActivate) throws IOException {
        String column = requireActivate ? "pack_activate_problem" : "pack_problem";
        List<String> kept = jdbc.query(
                "SELECT " + column + " FROM blob WHERE digest = ?", (row, n) -> row.getString(1), pack.hex());
        if (kept.isEmpty()) {
            return Optional.of("no such blob");
        }
        String verdict = kept.get(0);
        if (verdict == null) {
            try (InputStream archive = store.open(pack)) {
                verdict = PackInspector.problem(archive, requireActivate).orElse("");
            }
            jdbc.update("UPDATE blob SET " + column + " = ? WHERE digest = ?", verdict, pack.hex());
        }
        return verdict.isEmpty() ? Optional.empty() : Optional.of(verdict);
    }
}
