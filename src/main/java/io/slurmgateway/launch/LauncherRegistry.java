package io.slurmgateway.launch;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** The launchers this gateway offers, by name. */
@Component
public class LauncherRegistry {

    private final Map<String, Launcher> launchersByName;

    public LauncherRegistry(List<Launcher> launchers) {
        this.launchersByName = launchers.stream().collect(Collectors.toMap(Launcher::name, Function.identity()));
    }

    public Optional<Launcher> find(String name) {
        return Optional.ofNullable(launchersByName.get(name));
    }

    public Launcher get(String name) {
        return find(name).orElseThrow(() -> new IllegalStateException("no launcher named " + name));
    }

    public Set<String> names() {
        return new TreeSet<>(launchersByName.keySet());
    }
}
