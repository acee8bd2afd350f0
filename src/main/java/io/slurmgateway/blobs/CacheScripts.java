package io.slurmgateway.blobs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The fixed shell scripts a {@link HostCache} runs on its host, one command each. Every value (the cache directory,
 * digests, temporary names, the configured unpack command) reaches a script as an argument after it, never as part of
 * its text, so no value is ever read as shell. Each script builds the paths it writes or removes from the directory
 * and hex digits itself, so that nothing outside the cache directory can be named.
 */
final class CacheScripts {

    /** The copy of a blob does not hash to its digest. */
    static final int MISMATCH = 10;
    /** The unpacked pack has no regular file activate.sh at its root. */
    static final int NO_ACTIVATE = 11;
    /** tar or the configured unpack command failed; its stderr says why. */
    static final int UNPACK_FAILED = 12;

    /** Removes trees, making directories writable first when a pack holds read-only ones that rm cannot empty. */
    private static final String REMOVE_FUNCTION =
            "remove() { rm -rf -- \"$@\" 2>/dev/null || { chmod -R u+w -- \"$@\"; rm -rf -- \"$@\"; }; }\n";

    /**
     * Creates the cache's directories when absent, touches the entries present and prints the hex of each absent one.
     * Arguments: directory, kind (blob or pack), hex digests. Touching is what marks an entry used, for eviction.
     */
    private static final String CHECK =
            """
            umask 077
            dir=$1 kind=$2
            shift 2
            if [ ! -d "$dir/blobs" ] || [ ! -d "$dir/packs" ]; then
              mkdir -p "$dir/blobs" "$dir/packs" && chmod 700 "$dir" "$dir/blobs" "$dir/packs" || exit 1
            fi
            if [ "$kind" = pack ]; then test=-d sub=packs; else test=-f sub=blobs; fi
            for hex do
              shift
              if [ $test "$dir/$sub/$hex" ]; then set -- "$@" "$dir/$sub/$hex"; else printf '%s\\n' "$hex"; fi
            done
            [ $# -eq 0 ] || exec touch -c -- "$@"
            """;

    /**
     * Checks an uploaded copy against its digest and renames it into place, so that a blob is either whole and right or
     * absent. Arguments: directory, hex, the temporary name's random part.
     */
    private static final String INSTALL =
            """
            dir=$1 hex=$2
            tmp=$dir/blobs/.tmp-$hex-$3
            sum=$(sha256sum < "$tmp") || { rm -f "$tmp"; exit 1; }
            case $sum in
              "$hex "*) ;;
              *) rm -f "$tmp"; exit %d ;;
            esac
            chmod 600 "$tmp" && mv -f "$tmp" "$dir/blobs/$hex" || { rm -f "$tmp"; exit 1; }
            """
                    .formatted(MISMATCH);

    /**
     * Unpacks a cached archive beside its final place and renames it there, then drops the archive. A pack another
     * gateway finished meanwhile is taken as it is. Arguments: directory, hex, the temporary name's random part, then
     * the unpack command's words, if one is configured (run in the temporary directory); tar reads plain, gzip and
     * zstd archives alike.
     */
    private static final String UNPACK = REMOVE_FUNCTION
            + """
            umask 077
            dir=$1 hex=$2
            tmp=$dir/packs/.tmp-$hex-$3
            shift 3
            archive=$dir/blobs/$hex target=$dir/packs/$hex
            if [ -d "$target" ]; then rm -f "$archive"; exec touch -c "$target"; fi
            mkdir "$tmp" || exit 1
            if [ $# -eq 0 ]; then
              tar -xf "$archive" -C "$tmp" --no-same-owner
            else
              (cd "$tmp" && exec "$@")
            fi
            status=$?
            if [ $status -ne 0 ]; then
              remove "$tmp"
              [ -d "$target" ] && exit 0
              exit %d
            fi
            if [ ! -f "$tmp/activate.sh" ]; then remove "$tmp"; exit %d; fi
            chmod 700 "$tmp"
            if ! mv -T "$tmp" "$target" 2>/dev/null; then
              remove "$tmp"
              [ -d "$target" ] || { echo "could not move the unpacked pack into place" >&2; exit 1; }
            fi
            rm -f "$archive"
            touch -c "$target"
            """
                    .formatted(UNPACK_FAILED, NO_ACTIVATE);

    /**
     * Lists the entries: {@code blob <hex> <bytes> <mtime>}, {@code pack <hex> <mtime>}, and for each pack a line of
     * {@code du -sk}. Arguments: directory, then {@code sweep} to first remove temporaries a day old, which only a
     * gateway that died mid-transfer leaves.
     */
    private static final String LIST = REMOVE_FUNCTION
            + """
            cd "$1" 2>/dev/null && [ -d blobs ] && [ -d packs ] || exit 0
            if [ "$2" = sweep ]; then
              set -f
              set -- $(find blobs packs -mindepth 1 -maxdepth 1 -name '.tmp-*' -mmin +1440)
              [ $# -eq 0 ] || remove "$@"
            fi
            find blobs -mindepth 1 -maxdepth 1 -type f ! -name '.*' -printf 'blob %f %s %T@\\n'
            find packs -mindepth 1 -maxdepth 1 -type d ! -name '.*' -printf 'pack %f %T@\\n'
            cd packs && find . -mindepth 1 -maxdepth 1 -type d ! -name '.*' -exec du -sk -- {} +
            """;

    /** Removes entries by their names inside the cache directory. Arguments: directory, {@code blobs/<hex>}... */
    private static final String REMOVE = REMOVE_FUNCTION
            + """
            cd "$1" || exit 1
            shift
            for entry do
              case $entry in
                blobs/*|packs/*) ;;
                *) echo "refusing to remove $entry" >&2; exit 1 ;;
              esac
            done
            remove "$@"
            """;

    private CacheScripts() {}

    static List<String> check(String directory, String kind, Collection<Digest> digests) {
        List<String> argv = script(CHECK, directory, kind);
        digests.forEach(digest -> argv.add(digest.hex()));
        return argv;
    }

    static List<String> install(String directory, Digest digest, String token) {
        return script(INSTALL, directory, digest.hex(), token);
    }

    static List<String> unpack(String directory, Digest digest, String token, List<String> command) {
        List<String> argv = script(UNPACK, directory, digest.hex(), token);
        argv.addAll(command);
        return argv;
    }

    static List<String> list(String directory, boolean sweep) {
        return script(LIST, directory, sweep ? "sweep" : "list");
    }

    static List<String> remove(String directory, Collection<String> entries) {
        List<String> argv = script(REMOVE, directory);
        argv.addAll(entries);
        return argv;
    }

    private static List<String> script(String text, String... arguments) {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", text, "sh"));
        argv.addAll(List.of(arguments));
        return argv;
    }
}
