package io.slurmgateway.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What of a run's endpoints.log counts: complete, well-formed lines only, whatever else the payload writes there. */
class EndpointsCursorTest {

    private final EndpointsCursor cursor = new EndpointsCursor();
    private final List<String> published = new ArrayList<>();

    @Test
    void completeWellFormedLinesArePublishedAndAPartialLineWaits() {
        take("sparkMasterUi http://c1:24567\nsparkUi http://c1:2");

        assertThat(published).containsExactly("sparkMasterUi=http://c1:24567");
        assertThat(cursor.offset()).isEqualTo("sparkMasterUi http://c1:24567\n".length());

        take("sparkUi http://c1:24568\n");

        assertThat(published).containsExactly("sparkMasterUi=http://c1:24567", "sparkUi=http://c1:24568");
    }

    @Test
    void linesThatAreNoNameAndHttpUrlAreSkipped() {
        take("daskDashboard http://10.0.0.5:8787/status\n"
                + "evil javascript:alert(1)\n"
                + "evil http://host:1/a b\n"
                + "evil http://host:1/<script>\n"
                + "9bad http://host:1\n"
                + "with-dash http://host:1\n"
                + "quoted \"http://host:1\"\n"
                + "rayDashboard https://[fd00::1]:8265\n"
                + "\n");

        assertThat(published)
                .containsExactly("daskDashboard=http://10.0.0.5:8787/status", "rayDashboard=https://[fd00::1]:8265");
    }

    @Test
    void onlyTheStartOfAHugeFileIsRead() {
        StringBuilder junk = new StringBuilder();
        while (junk.length() < 70_000) {
            junk.append("x".repeat(99)).append('\n');
        }
        take(junk.toString());

        assertThat(cursor.wantsMore()).isFalse();
        assertThat(published).isEmpty();
    }

    @Test
    void theBashLauncherPublishesNothing() {
        assertThat(EndpointsCursor.forLauncher("bash")).isNull();
        assertThat(EndpointsCursor.forLauncher("spark")).isNotNull();
    }

    private void take(String text) {
        cursor.take(text.getBytes(StandardCharsets.UTF_8), (name, url) -> published.add(name + "=" + url));
    }
}
