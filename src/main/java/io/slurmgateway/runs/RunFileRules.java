package io.slurmgateway.runs;

import io.slurmgateway.blobs.Digest;
import io.slurmgateway.launch.RunSpec;
import io.slurmgateway.launch.SpecViolation;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules for a run's {@code environment} and {@code files}, and for a payload that names one of its files. File
 * paths are relative, of plain parts, so that no path leads out of the run's directory and none needs quoting where a
 * job script reads them as data.
 */
final class RunFileRules {

    static final int MAX_FILES = 1000;
    private static final int MAX_RELATIVE_PATH = 1024;
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9._+@%=,-]+");
    private static final Pattern ABSOLUTE_DIRECTORY = Pattern.compile("/[A-Za-z0-9._+@%=,:/~-]*");
    /** The names the gateway and its launchers write or read in a run's directory. */
    private static final Set<String> RESERVED = Set.of(
            "job.sh",
            "batch.sh",
            "payload",
            "framework.sh",
            "claim-ports.sh",
            "pre-start.sh",
            "stdout.log",
            "stderr.log",
            "signals.log",
            "endpoints.log",
            "messages.jsonl",
            "files.sha256",
            ".exit_code",
            ".cpu_times");

    private RunFileRules() {}

    static void check(RunSpec spec, List<SpecViolation> found) {
        checkEnvironment(spec.environment(), found);
        checkFiles(spec.files(), found);
        RunSpec.Payload payload = spec.payload();
        if (payload != null
                && payload.script() == null
                && payload.path() != null
                && !payload.path().startsWith("/")) {
            if (!spec.files().containsKey(payload.path())) {
                found.add(new SpecViolation(
                        "payload.path",
                        "a relative path must name one of the run's files: "
                                + spec.files().keySet()));
            }
        }
    }

    /** Whether a payload path names one of the run's files rather than a program on the host. */
    static boolean namesAFile(RunSpec.Payload payload) {
        return payload != null && payload.path() != null && !payload.path().startsWith("/");
    }

    private static void checkEnvironment(RunSpec.Environment environment, List<SpecViolation> found) {
        if (environment == null) {
            return;
        }
        if ((environment.pack() == null) == (environment.path() == null)) {
            found.add(new SpecViolation("environment", "must have exactly one of 'pack' or 'path'"));
        } else if (environment.pack() != null && !Digest.isDigest(environment.pack())) {
            found.add(new SpecViolation("environment.pack", "must be 'sha256:' and 64 hex digits"));
        } else if (environment.path() != null
                && (environment.path().length() > MAX_RELATIVE_PATH * 4
                        || !ABSOLUTE_DIRECTORY.matcher(environment.path()).matches()
                        || List.of(environment.path().split("/")).contains(".."))) {
            found.add(new SpecViolation(
                    "environment.path",
                    "must be an absolute directory of letters, digits and . _ + @ % = , : / ~ -, without '..'"));
        }
    }

    private static void checkFiles(Map<String, Object> files, List<SpecViolation> found) {
        if (files.size() > MAX_FILES) {
            found.add(new SpecViolation("files", "must have at most " + MAX_FILES + " entries"));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, Object> file : files.entrySet()) {
            String path = file.getKey();
            String field = "files." + path;
            String problem = pathProblem(path);
            if (problem != null) {
                found.add(new SpecViolation(field, problem));
                continue;
            }
            // two names of one file would overwrite each other, and on a case-insensitive file system so would these
            if (!seen.add(path.toLowerCase(Locale.ROOT))) {
                found.add(new SpecViolation(field, "names the same file as another entry"));
            }
            checkSource(field, file.getValue(), found);
        }
        for (String path : files.keySet()) {
            for (String other : files.keySet()) {
                if (other.startsWith(path + "/")) {
                    found.add(new SpecViolation("files." + path, "is a file and also the directory of " + other));
                    break;
                }
            }
        }
    }

    private static String pathProblem(String path) {
        if (path.isEmpty() || path.length() > MAX_RELATIVE_PATH) {
            return "must be a relative path of 1 to " + MAX_RELATIVE_PATH + " characters";
        }
        if (path.startsWith("/")) {
            return "must be relative to the run's directory, not absolute";
        }
        for (String part : path.split("/", -1)) {
            if (part.equals("..") || part.equals(".") || part.isEmpty()) {
                return "must be parts joined by '/', none of them empty, '.' or '..'";
            }
            if (!PART.matcher(part).matches()) {
                return "may contain only letters, digits, '/' and . _ + @ % = , -";
            }
        }
        if (RESERVED.contains(path)) {
            return "is a name the gateway uses in the run's directory: one of " + RESERVED;
        }
        return null;
    }

    private static void checkSource(String field, Object source, List<SpecViolation> found) {
        if (source instanceof String digest) {
            if (!Digest.isDigest(digest)) {
                found.add(new SpecViolation(field, "must be 'sha256:' and 64 hex digits, or {\"base64\": \"...\"}"));
            }
        } else if (source instanceof Map<?, ?> inline
                && inline.size() == 1
                && inline.get("base64") instanceof String b) {
            try {
                Base64.getDecoder().decode(b);
            } catch (IllegalArgumentException notBase64) {
                found.add(new SpecViolation(field + ".base64", "is not base64"));
            }
        } else {
            found.add(new SpecViolation(field, "must be 'sha256:' and 64 hex digits, or {\"base64\": \"...\"}"));
        }
    }
}
