package io.slurmgateway.runs.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void keepsWholeCharactersAndHoldsBackAnUnfinishedOne() {
        byte[] text = "aé€😀".getBytes(StandardCharsets.UTF_8); // 1 + 2 + 3 + 4 bytes

        for (int cut = 0; cut <= text.length; cut++) {
            byte[] prefix = Arrays.copyOf(text, cut);
            int complete = Utf8.completePrefixLength(prefix);
            assertThat(new String(prefix, 0, complete, StandardCharsets.UTF_8))
                    .as("cut at %d", cut)
                    .doesNotContain("\uFFFD");
            assertThat(complete).as("cut at %d", cut).isIn(0, 1, 3, 6, 10).isLessThanOrEqualTo(cut);
            assertThat(cut - complete).as("held back at %d", cut).isLessThan(4);
        }
    }

    @Test
    void doesNotHoldBackMalformedBytes() {
        byte[] strayContinuations = {'a', (byte) 0x80, (byte) 0x80, (byte) 0x80};

        assertThat(Utf8.completePrefixLength(strayContinuations)).isEqualTo(4);
        assertThat(Utf8.completePrefixLength(new byte[0])).isZero();
    }
}
