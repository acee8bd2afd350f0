#!/usr/bin/env bash
# P1 on the rig: POST -> recorded job id through the gateway, against sbatch over one multiplexed ssh connection.
# Needs: sudo scripts/slurm-rig.sh up, and a built jar (./mvnw -q -DskipTests package). Env: P1_PAIRS, P1_WARMUP,
# BENCH_JAVA_HOME (default: the java on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
RIG=.slurm-rig
[ -f "$RIG/application-rig.yml" ] || { echo "the rig is not up: sudo scripts/slurm-rig.sh up" >&2; exit 1; }
JAVA=${BENCH_JAVA_HOME:+$BENCH_JAVA_HOME/bin/}java
WORK=$(mktemp -d)
PORT=${GATEWAY_PORT:-8090}
CONTROL=$WORK/mux
SSH=(ssh -p 2222 -i "$RIG/ssh/id_ed25519" -o BatchMode=yes -o UserKnownHostsFile="$RIG/ssh/known_hosts"
     -o ControlPath="$CONTROL" hpcuser@127.0.0.1)
cleanup() {
  [ -n "${GATEWAY_PID:-}" ] && kill "$GATEWAY_PID" 2>/dev/null
  ssh -o ControlPath="$CONTROL" -O exit hpcuser@127.0.0.1 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

"$JAVA" -jar target/slurm-gateway-*.jar --server.port="$PORT" \
  --spring.datasource.url="jdbc:h2:file:$WORK/db;DB_CLOSE_ON_EXIT=FALSE" --gateway.execution.work-dir="$WORK/runs" \
  --spring.config.import="optional:file:$RIG/application-rig.yml" --gateway.clusters.rig.work-dir=bench-p1 \
  --logging.level.root=WARN > "$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
for _ in $(seq 120); do curl -sf "localhost:$PORT/actuator/health" >/dev/null && break; sleep 0.5; done

# one master connection, kept open; every baseline sbatch rides on it
ssh -p 2222 -i "$RIG/ssh/id_ed25519" -o BatchMode=yes -o UserKnownHostsFile="$RIG/ssh/known_hosts" \
    -o ControlMaster=yes -o ControlPath="$CONTROL" -o ControlPersist=600 -fN hpcuser@127.0.0.1
"${SSH[@]}" 'mkdir -p bench-p1-direct && printf "#!/bin/bash\n#SBATCH --output=/dev/null\ntrue\n" > bench-p1-direct/batch.sh'

# the files the gateway stages for a `true` run, for the by-hand staging comparison
printf '#!/bin/bash\n#SBATCH --output=/dev/null\nexec /bin/bash ./job.sh\n' > "$WORK/batch.sh"
printf '#!/bin/bash\nexec /bin/bash ./payload\n' > "$WORK/job.sh"
printf 'true\n' > "$WORK/payload"
P1_SSH="${SSH[*]}" P1_BASELINE_SCRIPT=bench-p1-direct/batch.sh GATEWAY_PORT=$PORT \
P1_SFTP="sftp -q -P 2222 -i $RIG/ssh/id_ed25519 -o BatchMode=yes -o UserKnownHostsFile=$RIG/ssh/known_hosts -o ControlPath=$CONTROL hpcuser@127.0.0.1" \
P1_LOCAL_FILES="$WORK/batch.sh $WORK/job.sh $WORK/payload" \
  python3 bench/p1-submit-latency.py
