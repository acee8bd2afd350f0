package io.slurmgateway.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Talks to a running gateway over real HTTP, as a client would. */
public final class GatewayClient {

    private static final Set<String> TERMINAL =
            Set.of("COMPLETED", "FAILED", "TIMED_OUT", "CANCELLED", "SUBMIT_FAILED");

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private final String base;
    private final Map<String, String> defaults;

    public GatewayClient(int port) {
        this("http://127.0.0.1:" + port, Map.of());
    }

    private GatewayClient(String base, Map<String, String> defaults) {
        this.base = base;
        this.defaults = Map.copyOf(defaults);
    }

    /** The same gateway, with every request carrying {@code Authorization: Bearer token}. */
    public GatewayClient withToken(String token) {
        return new GatewayClient(base, Map.of("Authorization", "Bearer " + token));
    }

    public HttpResponse<String> post(String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        defaults.forEach(request::setHeader);
        headers.forEach(request::setHeader);
        return send(request.build());
    }

    public HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        defaults.forEach(request::setHeader);
        headers.forEach(request::setHeader);
        return send(request.build());
    }

    public HttpResponse<String> get(String path, Map<String, String> headers) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).GET();
        defaults.forEach(request::setHeader);
        headers.forEach(request::setHeader);
        return send(request.build());
    }

    /** A GET whose body is kept as bytes, for reads of raw output. */
    public HttpResponse<byte[]> getBytes(String path) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).GET();
        defaults.forEach(request::setHeader);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException failed) {
            throw new java.io.UncheckedIOException(failed);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }

    public HttpResponse<String> get(String path) {
        return get(path, Map.of());
    }

    /** Posts a run and returns its id; fails unless the gateway answers 202. */
    public String createRun(String body) {
        HttpResponse<String> response = post("/api/v1/runs", body, Map.of());
        if (response.statusCode() != 202) {
            throw new AssertionError("expected 202, got " + response.statusCode() + ": " + response.body());
        }
        return json(response).get("id").asString();
    }

    public JsonNode run(String id) {
        return json(get("/api/v1/runs/" + id));
    }

    /** Waits until the run reaches {@code state}, and returns it. */
    public JsonNode awaitState(String id, String state) {
        return awaitState(id, state, Duration.ofSeconds(60));
    }

    /** Waits up to {@code atMost} until the run reaches {@code state}, and returns it. */
    public JsonNode awaitState(String id, String state, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
            String now = run(id).get("state").asString();
            if (TERMINAL.contains(now) && !now.equals(state)) {
                throw new AssertionError("run ended " + now + " instead of " + state + ": " + run(id));
            }
            return now.equals(state);
        });
        return run(id);
    }

    public String log(String id, String stream) {
        return get("/api/v1/runs/" + id + "/logs/" + stream).body();
    }

    /** Reads a whole SSE response (the server ends it) and returns the data lines of its events. */
    public List<String> sseData(String path, Map<String, String> headers) {
        Map<String, String> withAccept = new java.util.HashMap<>(headers);
        withAccept.put("Accept", "text/event-stream");
        HttpResponse<String> response = get(path, withAccept);
        List<String> data = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            if (line.startsWith("data:")) {
                data.add(line.substring("data:".length()));
            }
        }
        return data;
    }

    /** An SSE event as received: its id and its data. */
    public record SseEvent(String id, String data) {}

    /**
     * Reads an SSE response until {@code count} events have arrived or the server ends it, then disconnects: a client
     * that goes away in the middle of a stream.
     */
    public List<SseEvent> sseEvents(String path, Map<String, String> headers, int count) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "text/event-stream");
        headers.forEach(request::header);
        List<SseEvent> events = new ArrayList<>();
        try {
            HttpResponse<java.util.stream.Stream<String>> response =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
            try (java.util.stream.Stream<String> lines = response.body()) {
                java.util.Iterator<String> reader = lines.iterator();
                String id = null;
                while (events.size() < count && reader.hasNext()) {
                    String line = reader.next();
                    if (line.startsWith("id:")) {
                        id = line.substring("id:".length());
                    } else if (line.startsWith("data:")) {
                        events.add(new SseEvent(id, line.substring("data:".length())));
                    }
                }
            }
        } catch (IOException failed) {
            throw new java.io.UncheckedIOException(failed);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
        return events;
    }

    /** Follows a run's log over SSE until the gateway ends the stream, and returns the text of all its events. */
    public String followedLog(String id, String stream, Map<String, String> headers) {
        StringBuilder text = new StringBuilder();
        for (String data : sseData("/api/v1/runs/" + id + "/logs/" + stream, headers)) {
            text.append(json(data).get("text").asString());
        }
        return text.toString();
    }

    public JsonNode json(HttpResponse<String> response) {
        return json.readTree(response.body());
    }

    public JsonNode json(String text) {
        return json.readTree(text);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException failed) {
            throw new java.io.UncheckedIOException(failed);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }
}
