package io.slurmgateway.launch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads one launcher's {@code launcherOptions} strictly: every key must be known, every value of its type and form.
 * Each problem becomes a {@link SpecViolation} naming {@code launcherOptions.<key>}; a bad value reads as absent.
 */
final class OptionReader {

    /** Text that is safe to hand on as data: printable, no control characters (so no newline), not blank. */
    static final Pattern PRINTABLE = Pattern.compile("[^\\x00-\\x1f\\x7f]*[^\\x00-\\x20\\x7f][^\\x00-\\x1f\\x7f]*");

    /** A size in bytes with an optional binary unit, as {@code resources.memory} takes it: {@code 512M}, {@code 2G}. */
    private static final Pattern SIZE = Pattern.compile("([1-9][0-9]{0,9})([KMGT]?)");

    private final Map<String, Object> options;
    private final List<SpecViolation> found;

    OptionReader(String launcher, Map<String, Object> options, Set<String> known, List<SpecViolation> found) {
        this.options = options;
        this.found = found;
        for (String key : new TreeSet<>(options.keySet())) {
            if (!known.contains(key)) {
                found.add(new SpecViolation(
                        field(key),
                        "unknown option of the " + launcher + " launcher; it takes " + String.join(", ", known)));
            }
        }
    }

    /** A whole number from {@code min} to {@code max}, or null when absent or bad. */
    Integer integer(String key, int min, int max) {
        Object value = options.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            long number = ((Number) value).longValue();
            if (number >= min && number <= max) {
                return (int) number;
            }
        }
        found.add(new SpecViolation(field(key), "must be a whole number from " + min + " to " + max));
        return null;
    }

    /** Text matching {@code form}, which {@code describes} says in words; null when absent or bad. */
    String text(String key, Pattern form, String describes) {
        Object value = options.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof String text
                && text.length() <= 4096
                && form.matcher(text).matches()) {
            return text;
        }
        found.add(new SpecViolation(field(key), "must be " + describes));
        return null;
    }

    /** A size such as {@code 2G}, in bytes; null when absent or bad. */
    Long size(String key) {
        String text = text(key, SIZE, "a size in bytes with an optional unit K, M, G or T, like 2G");
        if (text == null) {
            return null;
        }
        var matcher = SIZE.matcher(text);
        matcher.matches();
        int shift = "KMGT".indexOf(matcher.group(2).toUpperCase(Locale.ROOT)) + 1;
        return Long.parseLong(matcher.group(1)) << (10 * shift);
    }

    /** A list of at most {@code maxItems} printable strings (no control characters); empty when absent or bad. */
    List<String> textList(String key, int maxItems) {
        Object value = options.get(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> items && items.size() <= maxItems) {
            List<String> texts = new ArrayList<>();
            for (Object item : items) {
                if (!(item instanceof String text)
                        || text.length() > 4096
                        || !PRINTABLE.matcher(text).matches()) {
                    found.add(new SpecViolation(
                            field(key), "every item must be text without control characters (no newlines)"));
                    return List.of();
                }
                texts.add(text);
            }
            return List.copyOf(texts);
        }
        found.add(new SpecViolation(field(key), "must be a list of at most " + maxItems + " strings"));
        return List.of();
    }

    /** An object of at most {@code maxEntries} entries with keys of {@code keyForm} and printable values. */
    Map<String, String> textMap(String key, Pattern keyForm, String describesKeys, int maxEntries) {
        Object value = options.get(key);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> entries) || entries.size() > maxEntries) {
            found.add(new SpecViolation(field(key), "must be an object of at most " + maxEntries + " entries"));
            return Map.of();
        }
        Map<String, String> texts = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : entries.entrySet()) {
            String name = String.valueOf(entry.getKey());
            if (!keyForm.matcher(name).matches()) {
                found.add(new SpecViolation(field(key) + "." + name, "keys must be " + describesKeys));
            } else if (!(entry.getValue() instanceof String text)
                    || text.length() > 4096
                    || !PRINTABLE.matcher(text).matches()) {
                found.add(new SpecViolation(
                        field(key) + "." + name, "must be text without control characters (no newlines)"));
            } else {
                texts.put(name, text);
            }
        }
        return java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(texts));
    }

    private static String field(String key) {
        return "launcherOptions." + key;
    }
}
