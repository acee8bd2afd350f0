package io.slurmgateway.launch;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What a cluster (or, for local runs, this gateway host) says about the frameworks the launchers start, so that a run
 * request names only what differs: {@code gateway.clusters.<name>.launchers.*} and
 * {@code gateway.execution.launchers.*}. Values here are the operator's, not a client's; they still reach the job only
 * as data (environment variables), never as shell text.
 *
 * @param spark where Spark lives and how its JVMs start
 * @param python the Python that Dask and Ray and their payloads run with
 * @param dask extra arguments of Dask's scheduler and workers
 * @param ray the {@code ray} command and extra {@code ray start} arguments
 */
public record LaunchDefaults(
        @DefaultValue @Valid @NotNull Spark spark,
        @DefaultValue @Valid @NotNull Python python,
        @DefaultValue @Valid @NotNull Dask dask,
        @DefaultValue @Valid @NotNull Ray ray) {

    /** What a gateway that configures nothing offers: no Spark, {@code python3} and {@code ray} from the PATH. */
    public static final LaunchDefaults NONE = new LaunchDefaults(
            new Spark(null, "2.12", "java", List.of(), List.of()),
            new Python("python3", null),
            new Dask(List.of(), List.of()),
            new Ray("ray", List.of()));

    /**
     * @param home a Spark installation ({@code SPARK_HOME}) with its {@code jars/} directory, on every node; unset, the
     *     spark launcher is refused
     * @param scalaVersion exported as {@code SPARK_SCALA_VERSION}
     * @param java the {@code java} command Spark's JVMs run with
     * @param javaOptions options of every Spark JVM (master, workers, driver), such as the {@code --add-opens} list
     *     JDK 17 needs, which a distribution's {@code bin/} scripts would add
     * @param submitArgs extra arguments of every {@code spark-submit}
     */
    public record Spark(
            @Pattern(regexp = "/[^\\x00-\\x1f]{0,1023}", message = "must be an absolute path") String home,
            @DefaultValue("2.12") @NotNull @Pattern(regexp = "[0-9]+\\.[0-9]+") String scalaVersion,
            @DefaultValue("java") @NotNull @Pattern(regexp = "[^\\x00-\\x1f]{1,1024}") String java,
            @DefaultValue @NotNull List<@Pattern(regexp = "[^\\x00-\\x1f]{1,4096}") String> javaOptions,
            @DefaultValue @NotNull List<@Pattern(regexp = "[^\\x00-\\x1f]{1,4096}") String> submitArgs) {}

    /**
     * @param executable the Python command; Dask must import ({@code distributed}), and Ray's payloads run with it
     * @param activate a file sourced before anything of the framework starts, such as a virtual environment's
     *     {@code bin/activate}; unset sources nothing
     */
    public record Python(
            @DefaultValue("python3") @NotNull @Pattern(regexp = "[^\\x00-\\x1f]{1,1024}") String executable,
            @Pattern(regexp = "/[^\\x00-\\x1f]{0,1023}", message = "must be an absolute path") String activate) {}

    /**
     * @param schedulerArgs extra arguments of every Dask scheduler
     * @param workerArgs extra arguments of every Dask worker
     */
    public record Dask(
            @DefaultValue @NotNull List<@Pattern(regexp = "[^\\x00-\\x1f]{1,4096}") String> schedulerArgs,
            @DefaultValue @NotNull List<@Pattern(regexp = "[^\\x00-\\x1f]{1,4096}") String> workerArgs) {}

    /**
     * @param executable the {@code ray} command
     * @param startArgs extra arguments of every {@code ray start}, head and workers
     */
    public record Ray(
            @DefaultValue("ray") @NotNull @Pattern(regexp = "[^\\x00-\\x1f]{1,1024}") String executable,
            @DefaultValue @NotNull List<@Pattern(regexp = "[^\\x00-\\x1f]{1,4096}") String> startArgs) {}
}
