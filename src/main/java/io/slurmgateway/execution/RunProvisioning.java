package io.slurmgateway.execution;

import io.slurmgateway.blobs.Digest;
import io.slurmgateway.blobs.HostCache;
import io.slurmgateway.launch.RunSpec;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * Brings what a run names into its host's cache before the run is staged: its files' blobs, and its pack, unpacked. A
 * run that names neither costs nothing here; one whose blobs are cached already costs one command per kind.
 */
public final class RunProvisioning {

    private RunProvisioning() {}

    /**
     * @throws io.slurmgateway.blobs.PackUnusableException when the pack cannot be unpacked into an environment
     * @throws IOException when the host cannot be reached or written (a transient failure)
     */
    public static Provisioned prepare(RunSpec spec, HostCache cache) throws IOException {
        RunSpec.Environment environment = spec.environment();
        if (environment == null && spec.files().isEmpty()) {
            return Provisioned.NONE;
        }
        Map<String, Digest> files = new TreeMap<>();
        spec.files().forEach((path, digest) -> files.put(path, Digest.parse((String) digest)));
        String blobs = null;
        if (!files.isEmpty()) {
            cache.ensureBlobs(new LinkedHashSet<>(files.values()));
            blobs = cache.directory() + "/blobs";
        }
        String activate = null;
        if (environment != null) {
            activate = environment.pack() != null
                    ? cache.ensurePack(Digest.parse(environment.pack()))
                    : environment.path();
        }
        StringBuilder manifest = new StringBuilder();
        files.forEach((path, digest) ->
                manifest.append(digest.hex()).append("  ").append(path).append('\n'));
        return new Provisioned(activate, blobs, manifest.toString());
    }
}
