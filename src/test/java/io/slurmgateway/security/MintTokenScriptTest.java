package io.slurmgateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

/** The documented way to mint a token: scripts/mint-token.sh, run for real. */
class MintTokenScriptTest {

    @Test
    void itPrintsAHighEntropyTokenOnceAndConfigurationThatAdmitsIt() throws Exception {
        Result minted = mint("ci-bot", "reader,submitter");
        assertThat(minted.exit()).isZero();
        String token =
                minted.stderr().strip().lines().reduce((first, last) -> last).orElseThrow();
        assertThat(token).matches("sgw_[A-Za-z0-9_-]{43}"); // 32 random bytes
        assertThat(minted.stdout()).doesNotContain(token);

        List<PropertySource<?>> yaml = new YamlPropertySourceLoader()
                .load("minted", new ByteArrayResource(minted.stdout().getBytes(StandardCharsets.UTF_8)));
        SecurityProperties.Token configured = new Binder(new MapConfigurationPropertySource(
                        (Map<?, ?>) yaml.get(0).getSource()))
                .bind("gateway.security.tokens.ci-bot", SecurityProperties.Token.class)
                .get();
        assertThat(configured.sha256()).isEqualTo(ApiTokens.digestOf(token));
        assertThat(configured.roles()).isEqualTo(Set.of(Role.READER, Role.SUBMITTER));
        assertThat(mint("ci-bot").stderr()).doesNotContain(token); // a new token every time
    }

    @Test
    void itRefusesNamesAndRolesTheGatewayWouldNot() throws Exception {
        assertThat(mint("bad name").exit()).isEqualTo(2);
        assertThat(mint("bot", "superuser").exit()).isEqualTo(2);
    }

    private record Result(int exit, String stdout, String stderr) {}

    private static Result mint(String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", "scripts/mint-token.sh"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), stdout, stderr);
    }
}
