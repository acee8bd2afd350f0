#!/usr/bin/env bash
# P9 on the rig: 1,000 runs posted concurrently through two gateway instances sharing PostgreSQL (each cluster
# account leased to one of them), against the same 1,000 jobs submitted directly with sbatch over one multiplexed ssh
# connection and followed with one squeue per second. Reports errors, duplicate jobs (sacct: more than one job named
# after a run) and first POST -> last terminal state, per round and as medians, and the ratio to the baseline.
# Needs: sudo scripts/slurm-rig.sh up, PostgreSQL on 127.0.0.1:5432 (database test, user postgres), a built jar
# (./mvnw -q -DskipTests package). Env: P9_RUNS (1000), P9_ROUNDS (2), P9_CONCURRENCY (32), BENCH_JAVA_HOME.
set -euo pipefail
cd "$(dirname "$0")/.."
RIG=.slurm-rig
JAVA=${BENCH_JAVA_HOME:+$BENCH_JAVA_HOME/bin/}java
[ -f "$RIG/application-rig.yml" ] || { echo "the rig is not up: sudo scripts/slurm-rig.sh up" >&2; exit 1; }
ls target/slurm-gateway-*.jar >/dev/null || { echo "build the jar first: ./mvnw -q -DskipTests package" >&2; exit 1; }
pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL does not answer on 127.0.0.1:5432" >&2; exit 1; }

WORK=$(mktemp -d)
SCHEMA=bench_p9_$$
CONTROL=$WORK/mux
PIDS=()
PSQL=(psql -h 127.0.0.1 -U postgres -d test -qAt)
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  ssh -o ControlPath="$CONTROL" -O exit hpcuser@127.0.0.1 2>/dev/null || true
  "${PSQL[@]}" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1 || true
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

start_gateway() { # instance port
  "$JAVA" -Xmx768m -jar target/slurm-gateway-*.jar --server.port="$2" \
    --spring.datasource.url="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$SCHEMA" \
    --spring.datasource.username=postgres --spring.flyway.schemas="$SCHEMA" --spring.flyway.create-schemas=true \
    --gateway.execution.instance-id="$1" --gateway.execution.work-dir="$WORK/runs-$1" \
    --gateway.execution.staging-batch-size=64 \
    --spring.config.import="optional:file:$RIG/application-rig.yml" --gateway.clusters.rig.work-dir=bench-p9 \
    --gateway.clusters.rig.poll-interval=1s --gateway.security.limits.max-active-runs=100000 \
    --gateway.security.limits.requests-per-minute=0 \
    --logging.level.root=WARN > "$WORK/gateway-$1.log" 2>&1 &
  PIDS+=($!)
}
start_gateway bench-a 8091
for _ in $(seq 240); do curl -sf localhost:8091/actuator/health >/dev/null && break; sleep 0.5; done
start_gateway bench-b 8092 # after the first, so that they do not race to create the schema
for port in 8091 8092; do
  for _ in $(seq 240); do curl -sf "localhost:$port/actuator/health" >/dev/null && break; sleep 0.5; done
  curl -sf "localhost:$port/actuator/health" >/dev/null || { echo "a gateway did not start; see $WORK" >&2; KEEP_WORK=1; exit 1; }
done

ssh -p 2222 -i "$RIG/ssh/id_ed25519" -o BatchMode=yes -o UserKnownHostsFile="$RIG/ssh/known_hosts" \
    -o ControlMaster=yes -o ControlPath="$CONTROL" -o ControlPersist=900 -fN hpcuser@127.0.0.1
P9_SSH="ssh -p 2222 -i $RIG/ssh/id_ed25519 -o BatchMode=yes -o UserKnownHostsFile=$RIG/ssh/known_hosts -o ControlPath=$CONTROL hpcuser@127.0.0.1" \
P9_PORTS=8091,8092 P9_SCHEMA=$SCHEMA python3 bench/p9-scale-out.py
