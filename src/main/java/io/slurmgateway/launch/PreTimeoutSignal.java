package io.slurmgateway.launch;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code resources.signalBeforeTimeout}: a signal the payload gets a number of seconds before its time limit, so that
 * it can save its work, written {@code SIGNAL@SECONDS} as Slurm's {@code --signal} takes it ({@code USR1@60}).
 *
 * @param signal its name without {@code SIG}, one of {@link #SIGNALS}
 * @param seconds how long before the time limit, 1 to 65535 (Slurm's own bound)
 */
public record PreTimeoutSignal(String signal, int seconds) {

    /** Signals a payload can catch and that mean nothing else to Slurm or to the job's shell. */
    public static final Set<String> SIGNALS =
            Set.of("USR1", "USR2", "TERM", "INT", "HUP", "QUIT", "ALRM", "URG", "XCPU");

    public static final int MAX_SECONDS = 65535;

    private static final Pattern FORM = Pattern.compile("(?:SIG)?([A-Z0-9]{2,5})@([0-9]{1,5})");

    /** The signal {@code text} names, or empty when it is not {@code SIGNAL@SECONDS} with a signal of {@link #SIGNALS}. */
    public static Optional<PreTimeoutSignal> parse(String text) {
        Matcher matcher = FORM.matcher(text);
        if (!matcher.matches() || !SIGNALS.contains(matcher.group(1))) {
            return Optional.empty();
        }
        int seconds = Integer.parseInt(matcher.group(2));
        return seconds < 1 || seconds > MAX_SECONDS
                ? Optional.empty()
                : Optional.of(new PreTimeoutSignal(matcher.group(1), seconds));
    }

    /** The value of sbatch's {@code --signal}: to the batch shell only, which forwards it to the payload. */
    public String slurmOption() {
        return "B:" + signal + "@" + seconds;
    }

    @Override
    public String toString() {
        return signal + "@" + seconds;
    }
}
