package io.slurmgateway.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellQuotingTest {

    @TempDir
    Path directory;

    @Test
    void quotesAreSingleAndEmbeddedSingleQuotesEscaped() {
        assertThat(ShellQuoting.quote("plain")).isEqualTo("'plain'");
        assertThat(ShellQuoting.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(ShellQuoting.quote("")).isEqualTo("''");
        assertThatThrownBy(() -> ShellQuoting.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
    }

    /** What sh and bash make of a quoted command line: exactly the original words, with nothing executed. */
    @Test
    void realShellsReadEveryWordBack() throws Exception {
        Path canary = directory.resolve("canary");
        List<String> words = List.of(
                "'; touch " + canary + "; '",
                "$(touch " + canary + ")",
                "`touch " + canary + "`",
                "new\nline",
                "\\ \" $HOME ${X:-y} * ? [a] ~ !! & | ; < > # %",
                "é ü 日本",
                "");
        for (String shell : List.of("/bin/sh", "/bin/bash")) {
            String line = "printf '%s\\0' " + ShellQuoting.commandLine(words);
            Process process = new ProcessBuilder(shell, "-c", line).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor()).isZero();
            assertThat(output).isEqualTo(String.join("\0", words) + "\0");
        }
        assertThat(canary).doesNotExist();
    }
}
