package io.slurmgateway.launch;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slurm's time-limit syntax: {@code M}, {@code M:S}, {@code H:M:S}, {@code D-H}, {@code D-H:M}, {@code D-H:M:S}.
 * "No limit" spellings ({@code 0}, {@code UNLIMITED}) are not accepted: every gateway run has a limit.
 */
public final class SlurmDuration {

    private static final Pattern WITH_DAYS = Pattern.compile("(\\d{1,5})-(\\d{1,6})(?::(\\d{1,6}))?(?::(\\d{1,6}))?");
    private static final Pattern WITHOUT_DAYS = Pattern.compile("(\\d{1,7})(?::(\\d{1,6}))?(?::(\\d{1,6}))?");

    private SlurmDuration() {}

    /** The duration a Slurm time string names, or empty when it is not one or is not positive. */
    public static Optional<Duration> parse(String text) {
        Matcher days = WITH_DAYS.matcher(text);
        if (days.matches()) {
            return positive(Duration.ofDays(number(days, 1))
                    .plusHours(number(days, 2))
                    .plusMinutes(number(days, 3))
                    .plusSeconds(number(days, 4)));
        }
        Matcher plain = WITHOUT_DAYS.matcher(text);
        if (!plain.matches()) {
            return Optional.empty();
        }
        if (plain.group(3) != null) {
            return positive(Duration.ofHours(number(plain, 1))
                    .plusMinutes(number(plain, 2))
                    .plusSeconds(number(plain, 3)));
        }
        return positive(Duration.ofMinutes(number(plain, 1)).plusSeconds(number(plain, 2)));
    }

    private static long number(Matcher matcher, int group) {
        String digits = matcher.group(group);
        return digits == null ? 0 : Long.parseLong(digits);
    }

    private static Optional<Duration> positive(Duration duration) {
        return duration.isZero() ? Optional.empty() : Optional.of(duration);
    }
}
