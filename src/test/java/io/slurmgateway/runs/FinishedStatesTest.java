package io.slurmgateway.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.slurmgateway.blobs.Blobs;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The blob module's list of finished run states is RunState's terminal states, so no blob a live run needs goes. */
class FinishedStatesTest {

    @Test
    void theBlobModulesFinishedStatesAreTheTerminalOnes() {
        Matcher quoted = Pattern.compile("'([A-Z_]+)'").matcher(Blobs.FINISHED);
        java.util.List<String> listed = new java.util.ArrayList<>();
        while (quoted.find()) {
            listed.add(quoted.group(1));
        }
        assertThat(listed)
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(RunState.values())
                        .filter(RunState::isTerminal)
                        .map(Enum::name)
                        .toList());
    }
}
