package io.slurmgateway.security;

import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: one structured line per mutation on logger {@code io.slurmgateway.audit}, with the principal, the
 * action, the run and the outcome as fields (in the {@code json-logs} profile, as JSON keys). Never a secret, an
 * environment value or a payload. Remote commands are audited on the same logger by the slurm module.
 */
public final class Audit {

    /** The logger every audit line goes to, so that operators can route it apart. */
    public static final String LOGGER = "io.slurmgateway.audit";

    private static final Logger audit = LoggerFactory.getLogger(LOGGER);

    private Audit() {}

    /**
     * A caller changed something.
     *
     * @param action what it did: {@code create}, {@code cancel}
     * @param runId the run it did it to; null when it was refused before a run existed
     * @param outcome what came of it: {@code accepted}, {@code repeat}, {@code requested}, {@code refused: …}
     */
    public static void mutation(Caller caller, String action, UUID runId, String outcome) {
        audit.atInfo()
                .setMessage("audit: {} {} by {}: {}")
                .addArgument(action)
                .addArgument(runId == null ? "-" : runId)
                .addArgument(caller.name())
                .addArgument(outcome)
                .addKeyValue("audit.kind", "mutation")
                .addKeyValue("audit.action", action)
                .addKeyValue("audit.principal", caller.name())
                .addKeyValue("audit.run", runId == null ? "" : runId.toString())
                .addKeyValue("audit.outcome", outcome)
                .log();
    }
}
