package io.slurmgateway.launch;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** {@code launcherOptions} of the spark launcher: the payload is a JAR, submitted to the run's own standalone cluster. */
@Schema(name = "SparkOptions", description = "launcherOptions of \"launcher\": \"spark\"; the payload is the JAR")
public record SparkOptions(
        @Schema(
                        requiredMode = Schema.RequiredMode.REQUIRED,
                        description = "The application's main class",
                        example = "org.example.SparkPi")
                String mainClass,
        @Schema(description = "Memory of each executor, like 2G; default: the node's memory less 512 MB")
                String executorMemory,
        @Schema(description = "Cores of each executor, 1 to 1024; default: the node's CPUs") Integer executorCores,
        @Schema(
                        description =
                                "Spark properties passed as --conf, keys spark.*, like {\"spark.sql.shuffle.partitions\":"
                                        + " \"8\"}")
                Map<String, String> conf,
        @Schema(description = ClusterOptions.HEAD_TIMEOUT) Integer headTimeout,
        @Schema(description = ClusterOptions.REGISTRATION_TIMEOUT) Integer registrationTimeout,
        @Schema(description = ClusterOptions.NETWORK_INTERFACE) String networkInterface) {

    static final Pattern CLASS_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*){0,63}");
    private static final Pattern SPARK_MEMORY = Pattern.compile("[1-9][0-9]{0,6}[kmgtKMGT]?");
    private static final Pattern SPARK_KEY = Pattern.compile("spark\\.[A-Za-z0-9._-]{1,200}");
    private static final Set<String> KNOWN =
            ClusterOptions.withCommon("mainClass", "executorMemory", "executorCores", "conf");

    public SparkOptions {
        conf = conf == null ? Map.of() : Map.copyOf(conf);
    }

    static SparkOptions read(Map<String, Object> options, List<SpecViolation> found) {
        OptionReader reader = new OptionReader("spark", options, KNOWN, found);
        String mainClass = reader.text("mainClass", CLASS_NAME, "a Java class name like org.example.Main");
        if (!options.containsKey("mainClass")) {
            found.add(new SpecViolation("launcherOptions.mainClass", "is required: the JAR's main class"));
        }
        return new SparkOptions(
                mainClass,
                reader.text("executorMemory", SPARK_MEMORY, "a JVM memory size like 512m or 2g"),
                reader.integer("executorCores", 1, 1024),
                reader.textMap("conf", SPARK_KEY, "Spark properties (spark.*)", 256),
                reader.integer("headTimeout", 1, ClusterOptions.MAX_TIMEOUT),
                reader.integer("registrationTimeout", 1, ClusterOptions.MAX_TIMEOUT),
                reader.text("networkInterface", ClusterOptions.INTERFACE, ClusterOptions.INTERFACE_WORDS));
    }
}
