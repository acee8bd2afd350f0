package io.slurmgateway.blobs;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads what the cache's listing script prints: {@code blob <hex> <bytes> <mtime>} per blob, {@code pack <hex>
 * <mtime>} per pack and, for each pack, {@code du -sk}'s {@code <KiB>\t./<hex>}. Times are find's {@code %T@}, seconds
 * since the epoch with a fraction. Lines about names that are not digests concern someone else's files, which the
 * cache neither counts nor removes.
 */
final class CacheListing {

    private CacheListing() {}

    static List<CacheEntry> parse(String listing) throws IOException {
        List<CacheEntry> entries = new ArrayList<>();
        Map<String, Instant> packs = new HashMap<>();
        Map<String, Long> packBytes = new HashMap<>();
        for (String line : listing.split("\n")) {
            String[] fields = line.strip().split("\\s+");
            try {
                if (fields[0].equals(CacheEntry.BLOB) && fields.length == 4 && isHex(fields[1])) {
                    entries.add(new CacheEntry(
                            CacheEntry.BLOB, new Digest(fields[1]), Long.parseLong(fields[2]), instant(fields[3])));
                } else if (fields[0].equals(CacheEntry.PACK) && fields.length == 3 && isHex(fields[1])) {
                    packs.put(fields[1], instant(fields[2]));
                } else if (fields.length == 2 && fields[1].startsWith("./") && isHex(fields[1].substring(2))) {
                    packBytes.put(fields[1].substring(2), Long.parseLong(fields[0]) * 1024);
                }
            } catch (NumberFormatException | ArithmeticException malformed) {
                throw new IOException("unexpected line in the cache's listing: " + line, malformed);
            }
        }
        packs.forEach((hex, used) ->
                entries.add(new CacheEntry(CacheEntry.PACK, new Digest(hex), packBytes.getOrDefault(hex, 0L), used)));
        return entries;
    }

    private static boolean isHex(String name) {
        return Digest.isDigest(Digest.PREFIX + name) && name.equals(name.toLowerCase(Locale.ROOT));
    }

    private static Instant instant(String secondsWithFraction) {
        BigDecimal seconds = new BigDecimal(secondsWithFraction);
        long whole = seconds.longValue();
        long nanos =
                seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
        return Instant.ofEpochSecond(whole, nanos);
    }
}
