package io.slurmgateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/** Assertions on response bodies as text, where parsing would hide how the bytes were written. */
public final class TextAssertions {

    private TextAssertions() {}

    /** Each text appears in the body exactly as given, after the one before it. */
    public static void assertAppearInOrder(String body, List<String> texts) {
        int from = 0;
        for (String text : texts) {
            int at = body.indexOf(text, from);
            assertThat(at).as("'%s' after position %d of %s", text, from, body).isGreaterThanOrEqualTo(0);
            from = at + text.length();
        }
    }
}
