package io.slurmgateway.runs;

import io.slurmgateway.blobs.BlobQuotaExceededException;
import io.slurmgateway.blobs.BlobTooLargeException;
import io.slurmgateway.blobs.Blobs;
import io.slurmgateway.blobs.Digest;
import io.slurmgateway.blobs.PackChecks;
import io.slurmgateway.clusters.ClusterRegistry;
import io.slurmgateway.launch.RunSpec;
import io.slurmgateway.launch.SpecViolation;
import io.slurmgateway.security.Caller;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The blobs a run names: inline files are stored as the caller's blobs (so that every file reaches a host the same way,
 * through its cache), every named blob must be one the caller uploaded, and a pack must be usable where the run goes.
 * All of it is decided before the run is stored, so a bad reference is a 400 and never a run.
 */
@Component
class RunBlobs {

    private final Blobs blobs;
    private final PackChecks packs;
    private final ClusterRegistry clusters;

    RunBlobs(Blobs blobs, PackChecks packs, ClusterRegistry clusters) {
        this.blobs = blobs;
        this.packs = packs;
        this.clusters = clusters;
    }

    /**
     * The spec with each inline file stored as a blob of {@code caller}'s and named by its digest.
     *
     * @throws InvalidRunSpecException when the store refuses one (past its quota, or over its size limit)
     */
    RunSpec storeInline(RunSpec spec, Caller caller) {
        if (spec.files().values().stream().noneMatch(Map.class::isInstance)) {
            return spec;
        }
        Map<String, Object> named = new TreeMap<>();
        for (Map.Entry<String, Object> file : spec.files().entrySet()) {
            if (file.getValue() instanceof Map<?, ?> inline) {
                byte[] bytes = Base64.getDecoder().decode((String) inline.get("base64"));
                Digest digest = Digest.ofContent(bytes);
                try {
                    blobs.put(caller.name(), digest, new ByteArrayInputStream(bytes), bytes.length);
                } catch (BlobQuotaExceededException | BlobTooLargeException refused) {
                    throw new InvalidRunSpecException(
                            List.of(new SpecViolation("files." + file.getKey(), refused.getMessage())));
                } catch (IOException failed) {
                    throw new UncheckedIOException(
                            "an inline file could not be stored: " + failed.getMessage(), failed);
                }
                named.put(file.getKey(), digest.toString());
            } else {
                named.put(file.getKey(), file.getValue());
            }
        }
        return spec.withFiles(named);
    }

    /** Problems with the blobs a valid spec names, for {@code caller}; one query, however many files it has. */
    List<SpecViolation> violations(RunSpec spec, Caller caller) {
        List<SpecViolation> found = new ArrayList<>();
        Set<Digest> named = named(spec);
        if (named.isEmpty()) {
            return found;
        }
        Set<Digest> owned = blobs.ownedBy(caller.name(), named);
        for (Map.Entry<String, Object> file : spec.files().entrySet()) {
            Digest digest = Digest.parse((String) file.getValue());
            if (!owned.contains(digest)) {
                found.add(new SpecViolation("files." + file.getKey(), unknown(digest)));
            }
        }
        if (spec.environment() != null && spec.environment().pack() != null) {
            Digest pack = Digest.parse(spec.environment().pack());
            if (!owned.contains(pack)) {
                found.add(new SpecViolation("environment.pack", unknown(pack)));
            } else {
                packProblem(pack, requiresActivate(spec))
                        .ifPresent(problem -> found.add(new SpecViolation("environment.pack", problem)));
            }
        }
        return found;
    }

    /** Notes, in the transaction that stores the run, which blobs it needs while it is unfinished. */
    void reference(UUID runId, RunSpec spec) {
        Set<Digest> named = named(spec);
        if (!named.isEmpty()) {
            blobs.reference(runId, named);
        }
    }

    /** Every blob a stored spec names: its pack and its files. */
    static Set<Digest> named(RunSpec spec) {
        Set<Digest> named = new LinkedHashSet<>();
        if (spec.environment() != null && spec.environment().pack() != null) {
            named.add(Digest.parse(spec.environment().pack()));
        }
        spec.files().values().forEach(value -> named.add(Digest.parse((String) value)));
        return named;
    }

    private Optional<String> packProblem(Digest pack, boolean requireActivate) {
        try {
            return packs.problem(pack, requireActivate);
        } catch (IOException unreadable) {
            throw new UncheckedIOException("the pack " + pack + " could not be read", unreadable);
        }
    }

    /** A pack that tar unpacks must hold activate.sh; a cluster's own unpack command makes it. */
    private boolean requiresActivate(RunSpec spec) {
        return !RunMode.SLURM.equals(spec.mode())
                || clusters.find(spec.cluster())
                        .map(cluster ->
                                cluster.settings().cache().unpackCommand().isEmpty())
                        .orElse(true);
    }

    private static String unknown(Digest digest) {
        return "you have uploaded no blob " + digest + "; upload it first with PUT /api/v1/blobs/" + digest;
    }
}
