package io.slurmgateway.runs;

import io.slurmgateway.launch.RunSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.springframework.stereotype.Component;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The one way a run's spec becomes the JSON stored with it, is read back, and is fingerprinted. */
@Component
class RunSpecJson {

    private final JsonMapper json;

    RunSpecJson(JsonMapper json) {
        this.json = json;
    }

    String write(RunSpec spec) {
        return json.writeValueAsString(spec);
    }

    RunSpec read(String stored) {
        return json.readValue(stored, RunSpec.class);
    }

    /** The spec's resources alone; null when the spec has none. */
    String writeResources(RunSpec.Resources resources) {
        return resources == null ? null : json.writeValueAsString(resources);
    }

    RunSpec.Resources readResources(String stored) {
        return json.readValue(stored, RunSpec.Resources.class);
    }

    /** SHA-256 of the spec with its maps' keys in order: equal for equal requests, however their fields were ordered. */
    String fingerprint(RunSpec spec) {
        byte[] canonical = json.writer()
                .with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .writeValueAsString(spec)
                .getBytes(StandardCharsets.UTF_8);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JVM provides SHA-256", impossible);
        }
    }
}
