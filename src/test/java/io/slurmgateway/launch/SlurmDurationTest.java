package io.slurmgateway.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SlurmDurationTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "30, PT30M",
        "0:5, PT5S",
        "90:30, PT1H30M30S",
        "1:02:03, PT1H2M3S",
        "00:30:00, PT30M",
        "2-0, PT48H",
        "1-12, PT36H",
        "1-2:30, PT26H30M",
        "1-2:30:15, PT26H30M15S"
    })
    void readsEverySlurmTimeFormat(String text, Duration expected) {
        assertThat(SlurmDuration.parse(text)).hasValue(expected);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "abc", "0", "0:0", "00:00:00", "-1", "1:2:3:4", "1-", "-1-2", "1h", "UNLIMITED", "1 ", "1;2"
            })
    void refusesWhatIsNotAPositiveSlurmTime(String text) {
        assertThat(SlurmDuration.parse(text)).isEmpty();
    }
}
