package io.slurmgateway.runs;

import io.slurmgateway.launch.SpecViolation;
import java.util.List;

/** A run request that breaks one or more rules; each violation names its field. */
public class InvalidRunSpecException extends RuntimeException {

    private final transient List<SpecViolation> violations;

    public InvalidRunSpecException(List<SpecViolation> violations) {
        super(violations.size() + " invalid field(s): " + violations.get(0).field() + " "
                + violations.get(0).message());
        this.violations = List.copyOf(violations);
    }

    public List<SpecViolation> violations() {
        return violations;
    }
}
