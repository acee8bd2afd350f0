#!/usr/bin/env bash
# P4: remote commands and CPU time per poll tick with 10 and 1,000 real held jobs on the rig, and 10,000 replayed.
# Needs: sudo scripts/slurm-rig.sh up. Env: BENCH_JAVA_HOME (default: the java on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .slurm-rig/application-rig.yml ] || { echo "the rig is not up: sudo scripts/slurm-rig.sh up" >&2; exit 1; }
JAVA=${BENCH_JAVA_HOME:+$BENCH_JAVA_HOME/bin/}java
./mvnw -B -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
"$JAVA" -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  -Dlogback.configurationFile=src/test/resources/logback-test.xml \
  io.slurmgateway.execution.cluster.PollTickBenchmark
