#!/usr/bin/env bash
# P5 and P7 on the rig: how long after a job's end its run shows the outcome, and how fast its output is copied into
# the gateway's store and followed over SSE, for jobs that print 0, 50 and 500 MB, against `cat` of the same file over
# one multiplexed ssh connection. Needs: sudo scripts/slurm-rig.sh up, and a built jar (./mvnw -q -DskipTests
# package) and PostgreSQL on 127.0.0.1:5432 (user postgres). Env: P7_SIZES (MB, "0 50 500"), P7_MODES ("slurm local"), P7_REPEATS (3),
# P7_DB (postgres, or h2), P7_HEAP (512m), P7_GATEWAY_ARGS (extra gateway options),
# BENCH_JAVA_HOME (default: the java on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/rig-gateway.sh
# the output goes into PostgreSQL, the store for production (a fresh database, dropped at the end); P7_DB=h2 measures
# the embedded H2 instead
if [ "${P7_DB:-postgres}" = postgres ]; then
  DB=bench_p7_$$
  psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB" postgres
  export BENCH_DB_URL=jdbc:postgresql://127.0.0.1:5432/$DB
  set -- --spring.profiles.active=postgres
else
  set --
fi
# shellcheck disable=SC2086 # P7_GATEWAY_ARGS holds several options
rig_gateway bench-p7 -Xmx"${P7_HEAP:-512m}" -- "$@" ${P7_GATEWAY_ARGS:-}
if [ -n "${DB:-}" ]; then
  trap 'rig_gateway_cleanup; psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" postgres' EXIT
fi

P7_SSH="${SSH[*]}" P7_LOCAL_WORK="$WORK/runs" GATEWAY_PORT=$PORT python3 bench/p7-log-throughput.py
