package io.slurmgateway.pipes;

/** A line of a messages file that is not a protocol message; the message says what is wrong with it. */
public class MalformedPipesMessageException extends Exception {

    MalformedPipesMessageException(String problem) {
        super(problem);
    }
}
