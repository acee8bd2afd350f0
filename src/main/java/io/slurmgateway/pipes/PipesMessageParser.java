package io.slurmgateway.pipes;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks one line of a messages file against the protocol: a JSON object with a string
 * {@code __dagster_pipes_version}, a string {@code method} and {@code params} that is an object or null. The text
 * must be strict JSON in UTF-8, since it is served to clients as written: Python's {@code json.dumps} writes
 * {@code NaN} for a float that is not a number, which no JSON reader accepts, so such a line is malformed.
 */
@Component
public class PipesMessageParser {

    /** The longest exception text kept as a run's reason. */
    private static final int MAX_EXCEPTION_LENGTH = 2000;

    private final JsonMapper json;

    PipesMessageParser(JsonMapper json) {
        this.json = json.rebuild()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    public PipesMessage parse(byte[] bytes, int from, int to) throws MalformedPipesMessageException {
        String text = utf8(bytes, from, to);
        JsonNode message;
        try {
            message = json.readTree(text);
        } catch (JacksonException notJson) {
            throw new MalformedPipesMessageException("not JSON: " + notJson.getOriginalMessage());
        }
        if (message == null || !message.isObject()) {
            throw new MalformedPipesMessageException("not a JSON object");
        }
        if (!message.path("__dagster_pipes_version").isString()) {
            throw new MalformedPipesMessageException("no string __dagster_pipes_version");
        }
        JsonNode method = message.path("method");
        if (!method.isString() || method.asString().isEmpty()) {
            throw new MalformedPipesMessageException("no method");
        }
        JsonNode params = message.path("params");
        if (!params.isMissingNode() && !params.isNull() && !params.isObject()) {
            throw new MalformedPipesMessageException("params is neither an object nor null");
        }
        String exception = PipesMessage.CLOSED.equals(method.asString()) ? exception(params.path("exception")) : null;
        return new PipesMessage(text, method.asString(), exception);
    }

    private static String utf8(byte[] bytes, int from, int to) throws MalformedPipesMessageException {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, to - from))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            throw new MalformedPipesMessageException("not UTF-8");
        }
    }

    /** "name: message" of the exception a closed message reports; null when it reports none. */
    private static String exception(JsonNode exception) {
        if (!exception.isObject()) {
            return null;
        }
        String name = exception.path("name").isString() ? exception.path("name").asString() : "";
        String message =
                exception.path("message").isString() ? exception.path("message").asString() : "";
        // JSON may carry NUL as an escape, but no PostgreSQL text column takes it
        String text =
                (name.isEmpty() ? message : message.isEmpty() ? name : name + ": " + message).replace('\0', '\uFFFD');
        if (text.isEmpty()) {
            text = "an exception without name or message";
        }
        return text.length() <= MAX_EXCEPTION_LENGTH ? text : text.substring(0, MAX_EXCEPTION_LENGTH) + "…";
    }
}
