package io.slurmgateway.blobs;

import io.slurmgateway.host.CommandRunner;
import io.slurmgateway.host.LocalCommandRunner;
import java.time.Duration;

/** The cache on the gateway's own machine. */
class HostCacheOverLocalTest extends HostCacheTest {

    @Override
    CommandRunner host() {
        return new LocalCommandRunner(Duration.ofSeconds(60));
    }
}
