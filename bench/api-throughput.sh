#!/usr/bin/env bash
# Accepted runs per second (POST /api/v1/runs -> 202, persisted) and reads per second (GET /api/v1/runs/{id}),
# at concurrency 32, against the gateway started from its jar on a fresh embedded H2 database.
#
#   bench/api-throughput.sh [rounds] [seconds-per-measurement]     (default 5 rounds of 20 s, about 6 minutes)
#
# The gateway runs with gateway.execution.enabled=false: this measures the API and persistence path, not the
# local executor (which would start thousands of processes a second on the same two cores).
# Needs wrk (apt-get install wrk). Prints one line per measurement, then the medians.
#
#   BENCH_JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64   run the gateway on another JDK (virtual threads need 21+)
#   BENCH_GATEWAY_ARGS="--spring.threads.virtual.enabled=false"   extra gateway arguments
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${1:-5}
seconds=${2:-20}
port=${BENCH_PORT:-18080}
connections=32
threads=2

command -v wrk >/dev/null || { echo "wrk is required: apt-get install wrk" >&2; exit 2; }
jar=$(ls target/slurm-gateway-*.jar 2>/dev/null | grep -v original | head -1 || true)
if [ -z "$jar" ]; then
  ./mvnw -B -q -DskipTests package
  jar=$(ls target/slurm-gateway-*.jar | grep -v original | head -1)
fi

home=$(mktemp -d)
java_bin=${BENCH_JAVA_HOME:+$BENCH_JAVA_HOME/bin/}java
"$java_bin" ${BENCH_JAVA_OPTS:-} -jar "$jar" \
  --server.port="$port" \
  --spring.datasource.url="jdbc:h2:file:$home/db;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000" \
  --gateway.execution.enabled=false \
  --gateway.execution.work-dir="$home/runs" \
  --logging.level.root=WARN ${BENCH_GATEWAY_ARGS:-} > "$home/gateway.log" 2>&1 &
gateway=$!
trap 'kill $gateway 2>/dev/null; wait $gateway 2>/dev/null; rm -rf "$home"' EXIT

for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/actuator/health" >/dev/null && break
  sleep 0.5
done
base="http://127.0.0.1:$port"
id=$(curl -sf -X POST "$base/api/v1/runs" -H 'Content-Type: application/json' \
  -d '{"asset":"bench/read","payload":{"script":"true"}}' | sed -E 's/.*"id":"([^"]+)".*/\1/')

rate() { # prints requests/s; fails if any response was not 2xx
  local out
  out=$(wrk -t"$threads" -c"$connections" -d"${1}s" --latency "${@:2}")
  if grep -q "Non-2xx" <<<"$out"; then echo "non-2xx responses: $out" >&2; exit 1; fi
  awk '/^Requests\/sec/ {print $2}' <<<"$out"
}

# On two cores the JIT compiler holds a whole core for a long time after new code gets hot, so both paths are
# warmed three times, alternately, before anything is counted: on JDK 17 reads went from ~2,000/s cold to ~17,000/s
# after two minutes, and a 60 s warm-up still measured the JIT rather than the service.
echo "warm-up (6 x ${seconds}s, not counted)"
for _ in 1 2 3; do
  rate "$seconds" -s bench/post-run.lua "$base" >/dev/null
  rate "$seconds" "$base/api/v1/runs/$id" >/dev/null
done

creates=(); reads=()
for round in $(seq 1 "$rounds"); do
  before=$(curl -sf "$base/api/v1/runs?size=1" | sed -E 's/.*"totalElements":([0-9]+).*/\1/')
  c=$(rate "$seconds" -s bench/post-run.lua "$base")
  after=$(curl -sf "$base/api/v1/runs?size=1" | sed -E 's/.*"totalElements":([0-9]+).*/\1/')
  r=$(rate "$seconds" "$base/api/v1/runs/$id")
  creates+=("$c"); reads+=("$r")
  echo "round $round: creates/s=$c (runs persisted: $((after - before))) reads/s=$r"
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "median creates/s: $(median "${creates[@]}")  (target >= 2000)"
echo "median reads/s:   $(median "${reads[@]}")  (target >= 10000)"
echo "java: $("$java_bin" -version 2>&1 | head -1); cores: $(nproc); concurrency: $connections; args: ${BENCH_GATEWAY_ARGS:-none}"
