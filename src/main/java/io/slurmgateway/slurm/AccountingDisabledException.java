package io.slurmgateway.slurm;

import java.io.IOException;

/** sacct answered that the cluster keeps no accounting: no record will ever come, so waiting for one is pointless. */
public class AccountingDisabledException extends IOException {

    AccountingDisabledException(String cluster, String sacctError) {
        super("cluster '" + cluster + "' keeps no Slurm accounting: " + sacctError);
    }
}
