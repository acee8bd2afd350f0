package io.slurmgateway.clusters;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who may use a cluster, and the union of the grants that apply to a caller. */
class ClusterAccessTest {

    private static final ClusterAccess.Grant FREE = new ClusterAccess.Grant(List.of(), List.of(), List.of());

    @Test
    void anOpenClusterAdmitsEveryoneAndEveryRequest() {
        assertThat(ClusterAccess.OPEN.refusal("c", "anyone", Set.of("submitter"), "gpu", "acct", "high"))
                .isEmpty();
    }

    @Test
    void aListedPrincipalOrRoleIsAdmittedAndNobodyElse() {
        ClusterAccess access = new ClusterAccess(Set.of("alice"), Set.of("Admin"), Map.of(), Map.of());

        assertThat(access.refusal("c", "alice", Set.of("submitter"), null, null, null))
                .isEmpty();
        assertThat(access.refusal("c", "root", Set.of("admin"), null, null, null))
                .isEmpty();
        assertThat(access.refusal("c", "bob", Set.of("submitter"), null, null, null))
                .hasValueSatisfying(refusal -> assertThat(refusal.field()).isEqualTo("cluster"));
    }

    @Test
    void theGrantsOfAPrincipalAndItsRolesAddUpAndAGrantWithoutValuesSaysNothing() {
        ClusterAccess access = new ClusterAccess(
                Set.of(),
                Set.of(),
                Map.of("alice", new ClusterAccess.Grant(List.of("debug"), List.of("proj-a"), List.of())),
                Map.of("submitter", new ClusterAccess.Grant(List.of("long"), List.of(), List.of("normal"))));

        assertThat(access.refusal("c", "alice", Set.of("submitter"), "long", "proj-a", null))
                .isEmpty();
        assertThat(access.refusal("c", "alice", Set.of("submitter"), "long", "anything", null))
                .hasValueSatisfying(refusal -> assertThat(refusal.field()).isEqualTo("resources.account"));
        assertThat(access.refusal("c", "alice", Set.of("submitter"), "debug", null, "normal"))
                .isEmpty();
        assertThat(access.refusal("c", "alice", Set.of("submitter"), "gpu", null, null))
                .hasValueSatisfying(refusal -> {
                    assertThat(refusal.field()).isEqualTo("resources.partition");
                    assertThat(refusal.message()).contains("allowed: debug, long");
                });
        assertThat(access.refusal("c", "alice", Set.of("submitter"), null, null, "high"))
                .hasValueSatisfying(refusal -> assertThat(refusal.field()).isEqualTo("resources.qos"));
        assertThat(access.refusal("c", "bob", Set.of("submitter"), null, "proj-a", null))
                .as("only alice's grant restricts accounts, and the submitter grant leaves them free")
                .isEmpty();
        assertThat(access.refusal("c", "carol", Set.of("reader"), "gpu", null, null))
                .as("no grant applies: nothing is restricted")
                .isEmpty();
        assertThat(new ClusterAccess(Set.of(), Set.of(), Map.of("dave", FREE), Map.of())
                        .refusal("c", "dave", Set.of(), "gpu", "x", "y"))
                .isEmpty();
    }
}
