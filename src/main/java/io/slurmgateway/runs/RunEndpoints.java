package io.slurmgateway.runs;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The addresses a run's launcher published while it ran (a Spark UI, a Dask or Ray dashboard), stored as one
 * {@code name url} line each in publishing order. Names and URLs are checked where they are read, so neither holds
 * white space; a name published again with a new address replaces the old one.
 */
@Embeddable
public record RunEndpoints(@Column(name = "endpoints") String lines) {

    public static final RunEndpoints NONE = new RunEndpoints(null);

    /** At most this many names per run; more are ignored. */
    public static final int MAX = 16;

    /** A name of a published address: a letter, then letters and digits. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,31}");

    /** A published address: an http(s) URL of a host (name, IPv4 or [IPv6]), a port and a plain path. */
    public static final Pattern URL = Pattern.compile(
            "https?://([A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\])(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]{0,200})?");

    /** The addresses by name, in publishing order. */
    public Map<String, String> asMap() {
        Map<String, String> endpoints = new LinkedHashMap<>();
        if (lines != null) {
            lines.lines().forEach(line -> {
                int space = line.indexOf(' ');
                endpoints.put(line.substring(0, space), line.substring(space + 1));
            });
        }
        return Collections.unmodifiableMap(endpoints);
    }

    /** These endpoints with {@code name} at {@code url}; null when that changes nothing or would be one too many. */
    RunEndpoints with(String name, String url) {
        Map<String, String> endpoints = new LinkedHashMap<>(asMap());
        if (url.equals(endpoints.get(name)) || (!endpoints.containsKey(name) && endpoints.size() >= MAX)) {
            return null;
        }
        endpoints.put(name, url);
        StringBuilder text = new StringBuilder();
        endpoints.forEach(
                (key, value) -> text.append(key).append(' ').append(value).append('\n'));
        return new RunEndpoints(text.toString());
    }
}
