package io.slurmgateway.execution;

import io.slurmgateway.launch.JobScript;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run's job needs from its host's cache, once the cache holds it: the environment to activate, and where the
 * blobs of its files lie with the manifest that places them.
 *
 * @param environment the directory whose {@code activate.sh} (or {@code bin/activate}, or {@code bin/}) the job uses;
 *     null for none
 * @param blobs the cache's blob directory; null when the run has no files
 * @param manifest {@code <hex>  <relative path>} per file, in {@code sha256sum}'s format; empty when none
 */
public record Provisioned(String environment, String blobs, String manifest) {

    public static final Provisioned NONE = new Provisioned(null, null, "");

    /** The manifest's name in the run's directory; the job checks the placed files against it. */
    public static final String MANIFEST = "files.sha256";

    static final String ENVIRONMENT_VARIABLE = "SLURM_GATEWAY_ENVIRONMENT";
    static final String BLOBS_VARIABLE = "SLURM_GATEWAY_BLOBS";

    /**
     * Runs first in every job script, before the launcher: copies the run's files from the cache into the run's
     * directory and checks them against their digests (any process of the account could have changed the cache), then
     * activates the environment. Fixed text: paths arrive as variables and in the manifest, read as data.
     */
    static final String PRELUDE = String.join(
            "\n",
            "# Slurm Gateway: the run's files and software environment, before the launcher starts.",
            "if [ -s ./" + MANIFEST + " ]; then",
            "  while read -r sg_hex sg_path; do",
            "    case \"$sg_path\" in */*) mkdir -p -- \"${sg_path%/*}\" || exit 1 ;; esac",
            "    cp -- \"$" + BLOBS_VARIABLE + "/$sg_hex\" \"$sg_path\" && chmod u+rwx -- \"$sg_path\" \\",
            "      || { echo \"slurm-gateway: could not place $sg_path from the cache\" >&2; exit 1; }",
            "  done < ./" + MANIFEST,
            "  sha256sum --check --quiet --strict ./" + MANIFEST + " >&2 \\",
            "    || { echo 'slurm-gateway: the run'\"'\"'s files do not match their digests' >&2; exit 1; }",
            "fi",
            "if [ -n \"${" + ENVIRONMENT_VARIABLE + ":-}\" ]; then",
            "  if [ ! -d \"$" + ENVIRONMENT_VARIABLE + "\" ]; then",
            "    echo \"slurm-gateway: the environment $" + ENVIRONMENT_VARIABLE + " does not exist\" >&2; exit 1",
            "  elif [ -f \"$" + ENVIRONMENT_VARIABLE + "/activate.sh\" ]; then",
            "    . \"$" + ENVIRONMENT_VARIABLE + "/activate.sh\"",
            "  elif [ -f \"$" + ENVIRONMENT_VARIABLE + "/bin/activate\" ]; then",
            "    . \"$" + ENVIRONMENT_VARIABLE + "/bin/activate\"",
            "  else",
            "    export PATH=\"$" + ENVIRONMENT_VARIABLE + "/bin:$PATH\"",
            "  fi",
            "fi",
            "");

    /** The job with the prelude first, its variables, and the manifest staged beside it. */
    JobScript applyTo(JobScript job) {
        if (environment == null && manifest.isEmpty()) {
            return job;
        }
        String text = job.scriptText();
        int firstLine = text.indexOf('\n') + 1; // after #!/bin/bash
        String scriptText = text.substring(0, firstLine) + PRELUDE + text.substring(firstLine);
        Map<String, String> variables = new TreeMap<>();
        if (environment != null) {
            variables.put(ENVIRONMENT_VARIABLE, environment);
        }
        if (blobs != null) {
            variables.put(BLOBS_VARIABLE, blobs);
        }
        List<JobScript.StagedFile> files = new java.util.ArrayList<>(job.files());
        if (!manifest.isEmpty()) {
            files.add(new JobScript.StagedFile(MANIFEST, manifest, false));
        }
        return new JobScript(scriptText, job.arguments(), job.environment(), files).withEnvironment(variables);
    }
}
