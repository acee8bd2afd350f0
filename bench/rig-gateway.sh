# Sourced by the benchmarks that run on the rig: starts the built gateway against the rig (a fresh H2 database, or
# the one BENCH_DB_URL names, its own remote work directory) and one ssh ControlMaster connection for the baselines; both end when the calling
# script exits. Usage: rig_gateway REMOTE_WORK_DIR [JVM option...] [-- gateway option...]. Sets WORK (a local
# temporary directory), PORT, GATEWAY_PID, CONTROL (the ControlPath) and SSH (an ssh command array riding on it).
RIG=.slurm-rig
JAVA=${BENCH_JAVA_HOME:+$BENCH_JAVA_HOME/bin/}java

rig_gateway_cleanup() {
  # waits for it to end, so that a benchmark started right after never talks to this gateway while it shuts down
  [ -n "${GATEWAY_PID:-}" ] && kill "$GATEWAY_PID" 2>/dev/null && wait "$GATEWAY_PID" 2>/dev/null || true
  ssh -o ControlPath="$CONTROL" -O exit hpcuser@127.0.0.1 2>/dev/null || true
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}

rig_gateway() {
  [ -f "$RIG/application-rig.yml" ] || { echo "the rig is not up: sudo scripts/slurm-rig.sh up" >&2; exit 1; }
  local remote_dir=$1 jvm_options=() gateway_options=()
  shift
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do jvm_options+=("$1"); shift; done
  [ "${1:-}" = "--" ] && shift
  gateway_options=("$@")
  WORK=$(mktemp -d)
  PORT=${GATEWAY_PORT:-8090}
  CONTROL=$WORK/mux
  SSH=(ssh -p 2222 -i "$RIG/ssh/id_ed25519" -o BatchMode=yes -o UserKnownHostsFile="$RIG/ssh/known_hosts"
       -o ControlPath="$CONTROL" hpcuser@127.0.0.1)
  trap rig_gateway_cleanup EXIT
  "$JAVA" "${jvm_options[@]}" -jar target/slurm-gateway-*.jar --server.port="$PORT" \
    --spring.datasource.url="${BENCH_DB_URL:-jdbc:h2:file:$WORK/db;DB_CLOSE_ON_EXIT=FALSE}" \
    --gateway.execution.work-dir="$WORK/runs" \
    --spring.config.import="optional:file:$RIG/application-rig.yml" --gateway.clusters.rig.work-dir="$remote_dir" \
    --logging.level.root=WARN "${gateway_options[@]}" > "$WORK/gateway.log" 2>&1 &
  GATEWAY_PID=$!
  for _ in $(seq 120); do curl -sf "localhost:$PORT/actuator/health" >/dev/null && break; sleep 0.5; done
  if ! kill -0 "$GATEWAY_PID" 2>/dev/null || ! curl -sf "localhost:$PORT/actuator/health" >/dev/null; then
    echo "the gateway did not start on port $PORT:" >&2; tail -20 "$WORK/gateway.log" >&2; exit 1
  fi
  # one master connection, kept open; every baseline command rides on it
  ssh -p 2222 -i "$RIG/ssh/id_ed25519" -o BatchMode=yes -o UserKnownHostsFile="$RIG/ssh/known_hosts" \
      -o ControlMaster=yes -o ControlPath="$CONTROL" -o ControlPersist=600 -fN hpcuser@127.0.0.1
}
