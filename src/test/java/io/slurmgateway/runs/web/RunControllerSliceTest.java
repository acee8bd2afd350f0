package io.slurmgateway.runs.web;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.slurmgateway.launch.RunSpec;
import io.slurmgateway.launch.SpecViolation;
import io.slurmgateway.runs.IdempotencyConflictException;
import io.slurmgateway.runs.InvalidRunSpecException;
import io.slurmgateway.runs.Run;
import io.slurmgateway.runs.RunFixtures;
import io.slurmgateway.runs.RunNotCancellableException;
import io.slurmgateway.runs.RunNotFoundException;
import io.slurmgateway.runs.RunService;
import io.slurmgateway.runs.RunState;
import io.slurmgateway.support.WebSliceConfiguration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The runs API's JSON shapes and problem documents, on the MVC layer alone: the service is a mock, so each case names
 * exactly what the service answered. The full-server suites (BadInputTest, the lifecycle and rig suites) show the same
 * answers come from real validation, persistence and execution.
 */
@WebMvcTest(controllers = RunController.class)
@Import(WebSliceConfiguration.class)
@TestPropertySource(properties = "gateway.api.max-request-size=2KB")
class RunControllerSliceTest {

    private static final String PROBLEM = "urn:slurm-gateway:problem:";
    private static final String BODY = "{\"asset\": \"demo/a\", \"payload\": {\"script\": \"echo hi\"}}";
    private static final RunSpec SPEC = new RunSpec(
            "demo/a", "local", null, "bash", null, new RunSpec.Payload("echo hi", null), null, null, null, null);

    private static final RunSpec SLURM_SPEC = new RunSpec(
            "demo/a", "slurm", "hpc", "bash", null, new RunSpec.Payload("echo hi", null), null, null, null, null);

    @Autowired
    MockMvc mvc;

    @MockitoBean
    RunService runs;

    @Test
    void aNewRunIsAcceptedWith202ItsLocationAndItsWholeShape() throws Exception {
        UUID id = UUID.randomUUID();
        Run run = RunFixtures.accepted(id, SPEC, Instant.parse("2026-12-01T10:00:00Z"));
        when(runs.create(any(), isNull(), any())).thenReturn(new RunService.Created(run, SPEC, true));

        mvc.perform(post("/api/v1/runs").contentType(MediaType.APPLICATION_JSON).content(BODY))
                .andExpect(status().isAccepted())
                .andExpect(header().string("Location", "/api/v1/runs/" + id))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.id").value(id.toString()))
                .andExpect(jsonPath("$.asset").value("demo/a"))
                .andExpect(jsonPath("$.mode").value("local"))
                .andExpect(jsonPath("$.launcher").value("bash"))
                .andExpect(jsonPath("$.state").value("ACCEPTED"))
                .andExpect(jsonPath("$.cancelRequested").value(false))
                .andExpect(jsonPath("$.createdAt").value("2026-12-01T10:00:00Z"))
                .andExpect(jsonPath("$.startedAt").doesNotExist())
                .andExpect(jsonPath("$.slurmJobId").doesNotExist())
                .andExpect(jsonPath("$.accounting").doesNotExist());
    }

    @Test
    void aRepeatOfAnIdempotentRequestIs200WithTheFirstRun() throws Exception {
        Run run = RunFixtures.accepted(UUID.randomUUID(), SPEC, Instant.now());
        when(runs.create(any(), eq("key-1"), any())).thenReturn(new RunService.Created(run, SPEC, false));

        mvc.perform(post("/api/v1/runs")
                        .contentType(MediaType.APPLICATION_JSON)
                        .header("Idempotency-Key", "key-1")
                        .content(BODY))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.id").value(run.getId().toString()));
    }

    @Test
    void aFinishedSlurmRunShowsItsJobAndWhatAccountingRecorded() throws Exception {
        UUID id = UUID.randomUUID();
        Run run = RunFixtures.completedOnSlurm(
                id, SLURM_SPEC, "42", Instant.parse("2026-12-01T10:00:00Z"), Instant.parse("2026-12-01T10:00:05Z"));
        when(runs.get(eq(id), any())).thenReturn(run);
        when(runs.specOf(run)).thenReturn(SLURM_SPEC);

        mvc.perform(get("/api/v1/runs/" + id))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.mode").value("slurm"))
                .andExpect(jsonPath("$.cluster").value("hpc"))
                .andExpect(jsonPath("$.state").value("COMPLETED"))
                .andExpect(jsonPath("$.exitCode").value(0))
                .andExpect(jsonPath("$.slurmJobId").value("42"))
                .andExpect(jsonPath("$.slurmState").value("COMPLETED"))
                .andExpect(jsonPath("$.finishedAt").value("2026-12-01T10:00:05Z"))
                .andExpect(jsonPath("$.accounting.source").value("SLURM_ACCOUNTING"))
                .andExpect(jsonPath("$.accounting.cpuEfficiency").value(0.95))
                .andExpect(jsonPath("$.accounting.unavailable").doesNotExist());
    }

    @Test
    void anUnknownRunIsA404Problem() throws Exception {
        UUID id = UUID.randomUUID();
        when(runs.get(eq(id), any())).thenThrow(new RunNotFoundException(id));

        mvc.perform(get("/api/v1/runs/" + id))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(PROBLEM + "run-not-found"))
                .andExpect(jsonPath("$.title").value("Run not found"))
                .andExpect(jsonPath("$.status").value(404))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString(id.toString())));
    }

    @Test
    void cancellingAnEndedRunIsA409ProblemNamingItsState() throws Exception {
        UUID id = UUID.randomUUID();
        when(runs.cancel(eq(id), any())).thenThrow(new RunNotCancellableException(id, RunState.COMPLETED));

        mvc.perform(post("/api/v1/runs/" + id + "/cancel"))
                .andExpect(status().isConflict())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(PROBLEM + "run-already-ended"))
                .andExpect(jsonPath("$.state").value("COMPLETED"));
    }

    @Test
    void anInvalidSpecIsA400NamingEveryField() throws Exception {
        when(runs.create(any(), isNull(), any()))
                .thenThrow(new InvalidRunSpecException(List.of(
                        new SpecViolation("asset", "must be path parts joined by '/'"),
                        new SpecViolation("resources.memory", "must be a positive whole number"))));

        mvc.perform(post("/api/v1/runs").contentType(MediaType.APPLICATION_JSON).content(BODY))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(PROBLEM + "invalid-request"))
                .andExpect(jsonPath("$.detail").value("The run request has 2 invalid field(s)."))
                .andExpect(jsonPath("$.errors[0].field").value("asset"))
                .andExpect(jsonPath("$.errors[1].field").value("resources.memory"));
    }

    @Test
    void aReusedIdempotencyKeyIsA409NamingTheFirstRun() throws Exception {
        UUID first = UUID.randomUUID();
        when(runs.create(any(), eq("key-2"), any())).thenThrow(new IdempotencyConflictException(first));

        mvc.perform(post("/api/v1/runs")
                        .contentType(MediaType.APPLICATION_JSON)
                        .header("Idempotency-Key", "key-2")
                        .content(BODY))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value(PROBLEM + "idempotency-conflict"))
                .andExpect(jsonPath("$.runId").value(first.toString()));
    }

    @Test
    void bodiesTheMapperCannotReadAreA400NamingTheFieldAndReachNoService() throws Exception {
        mvc.perform(post("/api/v1/runs").contentType(MediaType.APPLICATION_JSON).content("{\"asset\": "))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("body"));
        mvc.perform(post("/api/v1/runs")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"asset\": \"demo/a\", \"colour\": \"red\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("colour"))
                .andExpect(jsonPath("$.errors[0].message").value("is not a known field"));
        mvc.perform(post("/api/v1/runs")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"asset\": \"demo/a\", \"resources\": {\"nodes\": \"2\"}}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("resources.nodes"))
                .andExpect(jsonPath("$.errors[0].message").value("must be a whole number"));
        verify(runs, never()).create(any(), any(), any());
    }

    @Test
    void aBodyOverTheLimitIsA413() throws Exception {
        String large = "{\"asset\": \"demo/a\", \"payload\": {\"script\": \"" + "x".repeat(4096) + "\"}}";

        mvc.perform(post("/api/v1/runs").contentType(MediaType.APPLICATION_JSON).content(large))
                .andExpect(status().isContentTooLarge())
                .andExpect(jsonPath("$.type").value(PROBLEM + "request-too-large"));
        verify(runs, never()).create(any(), any(), any());
    }

    @Test
    void aFailureInsideTheGatewayIsA500ThatRevealsNothingOfItsCause() throws Exception {
        UUID id = UUID.randomUUID();
        when(runs.get(eq(id), any())).thenThrow(new IllegalStateException("the internal detail no client may see"));

        mvc.perform(get("/api/v1/runs/" + id))
                .andExpect(status().isInternalServerError())
                .andExpect(jsonPath("$.type").value(PROBLEM + "internal-error"))
                .andExpect(content()
                        .string(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("internal detail"))));
    }
}
