package io.slurmgateway.launch;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The options every cluster launcher (spark, dask, ray) takes, with their bounds and their words in the contract. */
final class ClusterOptions {

    static final int MAX_TIMEOUT = 3600;
    static final int DEFAULT_HEAD_TIMEOUT = 120;
    static final int DEFAULT_REGISTRATION_TIMEOUT = 300;

    static final String HEAD_TIMEOUT = "Seconds the head may take to come up, 1 to 3600; default 120. The job fails"
            + " at once when the head process dies";
    static final String REGISTRATION_TIMEOUT =
            "Seconds until every node's worker must have joined, 1 to 3600;" + " default 300";
    static final String NETWORK_INTERFACE = "The network interface whose IPv4 address the head and workers listen on"
            + " and publish, like ib0; default: the node's host name";

    static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,14}");
    static final String INTERFACE_WORDS = "a network interface name like ib0 or eth0";

    private ClusterOptions() {}

    static Set<String> withCommon(String... own) {
        Set<String> known = new TreeSet<>(Set.of(own));
        known.addAll(Set.of("headTimeout", "registrationTimeout", "networkInterface"));
        return known;
    }
}
