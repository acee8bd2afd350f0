package io.slurmgateway.pipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The Pipes encoding, checked against Python's own zlib and base64 (what dagster_pipes uses), run for real. */
class PipesEncodingTest {

    private static final String JSON = "{\"data\": {\"run_id\": \"r-1\", \"asset_keys\": [\"a/b\"], \"x\": \"é 日本\"}}";

    @Test
    void pythonDecodesWhatTheGatewayEncodes() throws Exception {
        String decoded = python(
                "import base64, sys, zlib; sys.stdout.write(zlib.decompress(base64.b64decode(sys.argv[1])).decode())",
                PipesEncoding.encode(JSON));
        assertThat(decoded).isEqualTo(JSON);
    }

    @Test
    void theGatewayDecodesWhatPythonEncodes() throws Exception {
        String encoded = python(
                "import base64, sys, zlib; sys.stdout.write(base64.b64encode(zlib.compress(sys.argv[1].encode())).decode())",
                JSON);
        assertThat(PipesEncoding.decode(encoded)).isEqualTo(JSON);
    }

    @Test
    void rawDeflateGzipAndGarbageAreRefused() {
        assertThatThrownBy(() -> PipesEncoding.decode("not base64!")).isInstanceOf(IllegalArgumentException.class);
        String notZlib = Base64.getEncoder().encodeToString("plain".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> PipesEncoding.decode(notZlib)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String python(String program, String argument) throws Exception {
        Process python = new ProcessBuilder("python3", "-c", program, argument).start();
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(python.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor()).as(err).isZero();
        return out;
    }
}
