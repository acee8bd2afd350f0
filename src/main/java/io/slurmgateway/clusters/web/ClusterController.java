package io.slurmgateway.clusters.web;

import io.slurmgateway.security.Callers;
import io.slurmgateway.security.Role;
import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The configured clusters, for operators. */
@RestController
@RequestMapping(path = "/api/v1/clusters", produces = MediaType.APPLICATION_JSON_VALUE)
class ClusterController {

    private final ClusterOverview overview;

    ClusterController(ClusterOverview overview) {
        this.overview = overview;
    }

    @GetMapping
    @Operation(
            summary = "List the configured clusters",
            description = "Each with its SSH link's health (UP, DOWN, UNKNOWN before the first connection), its pool"
                    + " figures and its partitions as sinfo lists them (the default first; read at most every"
                    + " gateway.cluster-info-max-age, and not while the cluster is DOWN). The login host, port, user"
                    + " and raw error are shown to admins only; others see them as null (port 0).")
    List<ClusterResponse> clusters() {
        List<ClusterResponse> clusters = overview.all();
        return Callers.current().has(Role.ADMIN)
                ? clusters
                : clusters.stream().map(ClusterResponse::withoutDetails).toList();
    }
}
