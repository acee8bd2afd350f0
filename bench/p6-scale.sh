#!/usr/bin/env bash
# P6: heap and threads of one gateway holding 10,000 active Slurm runs, then 10,000 open SSE streams besides, against
# the same gateway idle (the baseline, same run). The runs go to a cluster with transport: local whose sbatch, squeue,
# sacct, sstat, scancel and sinfo are stand-ins in a temporary directory: sbatch hands out job ids, squeue replays
# RUNNING for every job asked about (no rig holds 10,000 jobs). Everything else is the real gateway from the built jar:
# HTTP, database, submission, polling, output rounds, SSE.
# Needs: a built jar (./mvnw -q -DskipTests package), jcmd. Env: P6_RUNS (10000), P6_STREAMS (as many as runs; 0 for
# none), P6_HEAP (1536m), P6_IDLE (30, seconds of each idle window), P6_HISTOGRAM (N: print the heap's N largest
# classes at each measure), GATEWAY_PORT (8090), BENCH_JAVA_HOME.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA=${BENCH_JAVA_HOME:+$BENCH_JAVA_HOME/bin/}java
RUNS=${P6_RUNS:-10000}
WORK=$(mktemp -d)
PORT=${GATEWAY_PORT:-8090}
cleanup() {
  [ -n "${GATEWAY_PID:-}" ] && kill "$GATEWAY_PID" 2>/dev/null && wait "$GATEWAY_PID" 2>/dev/null || true
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
ls target/slurm-gateway-*.jar >/dev/null || { echo "build the jar first: ./mvnw -q -DskipTests package" >&2; exit 1; }

mkdir -p "$WORK/bin" "$WORK/fake"
cat > "$WORK/bin/sbatch" <<SCRIPT
#!/bin/bash
# hands out the next job id, as sbatch --parsable prints it
exec 9>>"$WORK/fake/lock"; flock 9
n=\$(( \$(cat "$WORK/fake/next" 2>/dev/null || echo 1000) + 1 )); echo "\$n" > "$WORK/fake/next"; echo "\$n"
SCRIPT
cat > "$WORK/bin/squeue" <<SCRIPT
#!/bin/bash
# every job asked about is RUNNING; a lookup by name finds none (no submission is ever lost here)
ids=
for a in "\$@"; do
  case \$a in
    --name=*) exit 0 ;;
    --jobs=*) ids=\${a#--jobs=} ;;
    --me) ids=\$(seq 1001 "\$(cat "$WORK/fake/next" 2>/dev/null || echo 1000)" | paste -sd,) ;;
  esac
done
[ -n "\$ids" ] && tr ',' '\n' <<<"\$ids" | sed 's/\$/|RUNNING|None/'
exit 0
SCRIPT
printf '#!/bin/bash\nexit 0\n' > "$WORK/bin/sacct"
printf '#!/bin/bash\nexit 0\n' > "$WORK/bin/sstat"
printf '#!/bin/bash\nexit 0\n' > "$WORK/bin/scancel"
printf '#!/bin/bash\necho debug\n' > "$WORK/bin/sinfo"
chmod +x "$WORK"/bin/*

PATH="$WORK/bin:$PATH" "$JAVA" -Xmx"${P6_HEAP:-1536m}" -XX:+ExitOnOutOfMemoryError -jar target/slurm-gateway-*.jar \
  --server.port="$PORT" --server.tomcat.max-connections=$((RUNS + 100)) --server.tomcat.accept-count=1000 \
  --spring.datasource.url="jdbc:h2:file:$WORK/db;DB_CLOSE_ON_EXIT=FALSE" \
  --gateway.execution.work-dir="$WORK/runs" --gateway.execution.staging-batch-size=500 \
  --gateway.clusters.fake.transport=local --gateway.clusters.fake.work-dir="$WORK/remote" \
  --gateway.clusters.fake.default-partition=debug --gateway.clusters.fake.default-memory=100M \
  --gateway.api.max-streams=$((RUNS + 10)) --logging.level.root=WARN > "$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
for _ in $(seq 120); do curl -sf "localhost:$PORT/actuator/health" >/dev/null && break; sleep 0.5; done
if ! kill -0 "$GATEWAY_PID" 2>/dev/null || ! curl -sf "localhost:$PORT/actuator/health" >/dev/null; then
  echo "the gateway did not start on port $PORT:" >&2; tail -20 "$WORK/gateway.log" >&2; exit 1
fi
ulimit -n $((RUNS * 2 + 1000)) 2>/dev/null || true
GATEWAY_PORT=$PORT GATEWAY_PID=$GATEWAY_PID python3 bench/p6-scale.py "$RUNS" "${P6_IDLE:-30}" "${P6_STREAMS:-$RUNS}"
if ! kill -0 "$GATEWAY_PID" 2>/dev/null; then
  echo "the gateway died:" >&2; tail -20 "$WORK/gateway.log" >&2; exit 1
fi
grep -c " ERROR " "$WORK/gateway.log" | sed 's/^/gateway ERROR lines: /' || true
