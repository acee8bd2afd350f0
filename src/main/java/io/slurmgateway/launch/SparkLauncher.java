package io.slurmgateway.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * A Spark standalone cluster in the allocation: the master on the first node, one worker per node, and the payload, a
 * JAR, submitted to it in client mode from the first node. The Spark UI of the application is published on the run.
 */
@Component
class SparkLauncher extends ClusterLauncher<SparkOptions> {

    private static final String SCRIPT = resource("spark.sh");

    @Override
    public String name() {
        return "spark";
    }

    @Override
    String frameworkScript() {
        return SCRIPT;
    }

    @Override
    SparkOptions read(Map<String, Object> options, List<SpecViolation> found) {
        return SparkOptions.read(options, found);
    }

    @Override
    List<SpecViolation> checkPayload(RunSpec.Payload payload) {
        return payload.script() != null
                ? List.of(new SpecViolation(
                        "payload.script", "the spark launcher runs a JAR: give its absolute path as payload.path"))
                : List.of();
    }

    @Override
    Map<String, String> frameworkEnvironment(SparkOptions options, LaunchDefaults defaults) {
        LaunchDefaults.Spark spark = defaults.spark();
        Map<String, String> environment =
                new TreeMap<>(common(options.headTimeout(), options.registrationTimeout(), options.networkInterface()));
        if (spark.home() != null) {
            environment.put("SPARK_HOME", spark.home());
        }
        environment.put("SPARK_SCALA_VERSION", spark.scalaVersion());
        environment.put(PREFIX + "JAVA", spark.java());
        putList(environment, "JAVA_OPTIONS", spark.javaOptions());
        putList(environment, "SPARK_SUBMIT_ARGS", spark.submitArgs());
        environment.put(PREFIX + "SPARK_MAIN_CLASS", options.mainClass());
        putIfSet(environment, "SPARK_EXECUTOR_MEMORY", options.executorMemory());
        putIfSet(environment, "SPARK_EXECUTOR_CORES", options.executorCores());
        List<String> conf = new ArrayList<>();
        options.conf().forEach((key, value) -> conf.add(key + "=" + value));
        putList(environment, "SPARK_CONF", conf);
        return environment;
    }
}
