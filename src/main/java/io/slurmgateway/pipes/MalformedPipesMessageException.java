package io.slurmgateway.pipes;

/**
 * A line of a messages file that is not a protocol message; the message says what is wrong with it. It carries no
 * stack trace: a payload may write many such lines, and where the parser noticed is no news.
 */
public class MalformedPipesMessageException extends Exception {

    MalformedPipesMessageException(String problem) {
        super(problem, null, false, false);
    }
}
