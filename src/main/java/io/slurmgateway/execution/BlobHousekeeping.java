package io.slurmgateway.execution;

import io.slurmgateway.blobs.BlobProperties;
import io.slurmgateway.blobs.Blobs;
import io.slurmgateway.blobs.Digest;
import io.slurmgateway.blobs.HostCaches;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * Every {@code gateway.blobs.sweep-interval}: removes the blobs that no unfinished run names and nobody used for
 * {@code gateway.blobs.retention}, and trims the local runs' cache to its budget. (Each cluster account's cache is
 * trimmed by its own sweep, on the instance that holds its lease.) Every instance sweeps: the deletes recheck their
 * conditions, so two instances never remove a blob a run has just named.
 */
@Component
class BlobHousekeeping implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(BlobHousekeeping.class);

    private final Blobs blobs;
    private final HostCaches caches;
    private final ExecutionMetrics metrics;
    private final StepGuard steps;
    private final TickLoop loop;
    private final long firstAtNanos;

    BlobHousekeeping(Blobs blobs, HostCaches caches, BlobProperties properties, ExecutionMetrics metrics) {
        this.blobs = blobs;
        this.caches = caches;
        this.metrics = metrics;
        this.steps = new StepGuard("blobs", metrics);
        this.firstAtNanos = System.nanoTime() + properties.sweepInterval().toNanos();
        this.loop = properties.sweepInterval().isZero()
                ? null
                : new TickLoop("blob-sweep", "blobs", properties.sweepInterval(), this::tick, metrics);
    }

    @Override
    public void afterPropertiesSet() {
        if (loop != null) {
            loop.start();
        }
    }

    @Override
    public void destroy() {
        if (loop != null) {
            loop.stop();
        }
    }

    private void tick() {
        if (System.nanoTime() - firstAtNanos >= 0) {
            sweep();
        }
    }

    /** One sweep; each part fails on its own. */
    void sweep() {
        steps.run("unused-blobs", () -> {
            List<Digest> removed = blobs.removeUnused();
            if (!removed.isEmpty()) {
                log.info("removed {} blob(s) that no unfinished run names: {}", removed.size(), removed);
                metrics.swept("blobs", "blob_removed", removed.size());
            }
        });
        steps.run("local-cache", () -> caches.local().trim(blobs.inUse(null)));
    }
}
