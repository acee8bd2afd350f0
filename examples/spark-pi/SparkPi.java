package io.slurmgateway.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Estimates pi on a Spark cluster: each of N slices throws random points at the square [-1, 1]², and the share that
 * lands inside the unit circle approaches pi / 4. Prints "Pi is roughly …" and how many executors took part.
 *
 * <p>Usage: spark-submit --class io.slurmgateway.examples.SparkPi spark-pi.jar [slices]
 */
public final class SparkPi {

    private static final int POINTS_PER_SLICE = 200_000;

    private SparkPi() {}

    public static void main(String[] args) {
        int slices = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        SparkConf conf = new SparkConf().setAppName("slurm-gateway-spark-pi");
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            List<Integer> seeds = new ArrayList<>();
            for (int slice = 0; slice < slices; slice++) {
                seeds.add(slice);
            }
            long inside = spark.parallelize(seeds, slices).map(SparkPi::hits).reduce(Long::sum);
            System.out.println("Pi is roughly " + 4.0 * inside / ((long) slices * POINTS_PER_SLICE));
            // the driver counts itself among the executors the status tracker knows
            System.out.println("executors=" + (spark.sc().getExecutorMemoryStatus().size() - 1));
        }
    }

    private static long hits(int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long hits = 0;
        for (int point = 0; point < POINTS_PER_SLICE; point++) {
            double x = random.nextDouble(-1, 1);
            double y = random.nextDouble(-1, 1);
            if (x * x + y * y <= 1) {
                hits++;
            }
        }
        return hits;
    }
}
