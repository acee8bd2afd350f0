package io.slurmgateway.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The shell scripts the launchers stage, read from this module's class path once, when a launcher class loads. The
 * only class of the module that reads anything: the launchers themselves stay pure functions of a run.
 */
final class ScriptResources {

    private ScriptResources() {}

    /** The text of the script {@code name} beside this class; a missing one is a packaging bug. */
    static String text(String name) {
        try (InputStream in = ScriptResources.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }
}
