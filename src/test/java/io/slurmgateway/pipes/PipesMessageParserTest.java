package io.slurmgateway.pipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

class PipesMessageParserTest {

    private final PipesMessageParser parser = new PipesMessageParser(JsonMapper.shared());

    @Test
    void aMessageKeepsItsTextExactlyAndNamesItsMethod() throws Exception {
        String text = "{\"__dagster_pipes_version\": \"0.1\", \"method\": \"log\","
                + " \"params\": {\"message\": \"gr\u00fcn\", \"level\": \"INFO\", \"n\": 1.50}}";

        PipesMessage message = parse(text);

        assertThat(message.json()).isEqualTo(text);
        assertThat(message.method()).isEqualTo("log");
        assertThat(message.knownMethod()).isEqualTo("log");
        assertThat(message.exception()).isNull();
    }

    @Test
    void anUnknownMethodIsRelayedButNotIndexed() throws Exception {
        PipesMessage message =
                parse("{\"__dagster_pipes_version\": \"0.2\", \"method\": \"future\", \"params\": null}");

        assertThat(message.method()).isEqualTo("future");
        assertThat(message.knownMethod()).isNull();
    }

    @Test
    void closedWithAnExceptionNamesItAndClosedWithoutOneDoesNot() throws Exception {
        assertThat(parse("{\"__dagster_pipes_version\": \"0.1\", \"method\": \"closed\", \"params\": {\"exception\":"
                                + " {\"name\": \"KeyError\", \"message\": \"'x'\", \"stack\": [], \"cause\": null}}}")
                        .exception())
                .isEqualTo("KeyError: 'x'");
        assertThat(parse("{\"__dagster_pipes_version\": \"0.1\", \"method\": \"closed\", \"params\": {}}")
                        .exception())
                .isNull();
        assertThat(parse("{\"__dagster_pipes_version\": \"0.1\", \"method\": \"closed\", \"params\":"
                                + " {\"exception\": {}}}")
                        .exception())
                .isEqualTo("an exception without name or message");
    }

    @Test
    void aNulInTheExceptionIsReplacedSinceNoDatabaseTextTakesIt() throws Exception {
        assertThat(parse("{\"__dagster_pipes_version\": \"0.1\", \"method\": \"closed\", \"params\": {\"exception\":"
                                + " {\"name\": \"ValueError\", \"message\": \"bad \\u0000 byte\"}}}")
                        .exception())
                .isEqualTo("ValueError: bad \uFFFD byte");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "not json at all                                                        | not JSON",
                "{\"__dagster_pipes_version\": \"0.1\", \"method\": \"log\"} trailing   | not JSON",
                "{\"__dagster_pipes_version\": \"0.1\", \"method\": \"log\", \"params\": {\"x\": NaN}} | not JSON",
                "[1, 2]                                                                 | not a JSON object",
                "{\"method\": \"log\", \"params\": {}}                                  | no string __dagster_pipes_version",
                "{\"__dagster_pipes_version\": 1, \"method\": \"log\"}                  | no string __dagster_pipes_version",
                "{\"__dagster_pipes_version\": \"0.1\", \"method\": 7}                  | no method",
                "{\"__dagster_pipes_version\": \"0.1\", \"method\": \"\"}               | no method",
                "{\"__dagster_pipes_version\": \"0.1\", \"method\": \"log\", \"params\": [1]} | params is neither an object nor null",
            })
    void aLineThatIsNoProtocolMessageIsRefusedSayingWhy(String line, String problem) {
        assertThatThrownBy(() -> parse(line.strip()))
                .isInstanceOf(MalformedPipesMessageException.class)
                .hasMessageStartingWith(problem);
    }

    @Test
    void bytesThatAreNotUtf8AreRefused() {
        byte[] latin1 = "{\"__dagster_pipes_version\": \"0.1\", \"method\": \"log\", \"params\": {\"m\": \"\u00fc\"}}"
                .getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> parser.parse(latin1, 0, latin1.length))
                .isInstanceOf(MalformedPipesMessageException.class)
                .hasMessage("not UTF-8");
    }

    private PipesMessage parse(String text) throws MalformedPipesMessageException {
        byte[] bytes = ("xx" + text + "yy").getBytes(StandardCharsets.UTF_8);
        return parser.parse(bytes, 2, bytes.length - 2);
    }
}
