package io.slurmgateway.clusters.web;

import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.slurmgateway.host.ConnectionStatus;
import io.slurmgateway.support.WebSliceConfiguration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The clusters API's JSON shape on the MVC layer alone. UnreachableClusterTest and ControllerDownClusterTest show the
 * same fields filled from a real SSH server and a real sinfo.
 */
@WebMvcTest(controllers = ClusterController.class)
@Import(WebSliceConfiguration.class)
class ClusterControllerSliceTest {

    @Autowired
    MockMvc mvc;

    @MockitoBean
    ClusterOverview overview;

    @Test
    void eachClusterShowsItsLinkItsPoolAndItsPartitionsOrWhyNot() throws Exception {
        when(overview.all())
                .thenReturn(List.of(
                        new ClusterResponse(
                                "hpc",
                                "login.example.org",
                                22,
                                "svc",
                                ConnectionStatus.Health.UP,
                                new ClusterResponse.Pool(1, 2, 0, 16, 3),
                                List.of("debug", "long"),
                                null,
                                List.of(
                                        new ClusterResponse.IdentityStatus(
                                                "default", "svc", ConnectionStatus.Health.UP, null),
                                        new ClusterResponse.IdentityStatus(
                                                "team-a",
                                                "alice",
                                                ConnectionStatus.Health.DOWN,
                                                "Exhausted available authentication methods"))),
                        new ClusterResponse(
                                "down",
                                "login.down.example.org",
                                2222,
                                "svc",
                                ConnectionStatus.Health.DOWN,
                                new ClusterResponse.Pool(0, 2, 0, 16, 0),
                                null,
                                "Connection refused",
                                List.of())));

        mvc.perform(get("/api/v1/clusters"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$[0].name").value("hpc"))
                .andExpect(jsonPath("$[0].health").value("UP"))
                .andExpect(jsonPath("$[0].pool.channelCapacity").value(16))
                .andExpect(jsonPath("$[0].pool.connectionsOpened").value(3))
                .andExpect(jsonPath("$[0].partitions[0]").value("debug"))
                .andExpect(jsonPath("$[0].lastError").doesNotExist())
                .andExpect(jsonPath("$[0].identities[1].name").value("team-a"))
                .andExpect(jsonPath("$[0].identities[1].user").value("alice"))
                .andExpect(jsonPath("$[0].identities[1].health").value("DOWN"))
                .andExpect(
                        jsonPath("$[0].identities[1].lastFailure").value("Exhausted available authentication methods"))
                .andExpect(jsonPath("$[1].health").value("DOWN"))
                .andExpect(jsonPath("$[1].partitions").doesNotExist())
                .andExpect(jsonPath("$[1].lastError").value("Connection refused"));
    }
}
