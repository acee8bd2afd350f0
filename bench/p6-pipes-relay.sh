#!/usr/bin/env bash
# P6 on the rig: Dagster Pipes messages relayed per second from 1 and from 100 concurrent jobs, and the gateway's
# heap meanwhile, against copying the messages file with `cat` over ssh. Needs: sudo scripts/slurm-rig.sh up, and a
# built jar (./mvnw -q -DskipTests package). Env: P6_MESSAGES (100000), P6_JOBS (100), P6_REPEATS (3),
# P6_HEAP (the gateway's -Xmx, 128m), P6_GATEWAY_ARGS (extra gateway options), BENCH_JAVA_HOME (default: the java
# on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/rig-gateway.sh
# shellcheck disable=SC2086 # P6_GATEWAY_ARGS holds several options
rig_gateway bench-p6 -Xmx"${P6_HEAP:-128m}" -- ${P6_GATEWAY_ARGS:-}

P6_SSH="${SSH[*]}" GATEWAY_PORT=$PORT P6_GATEWAY_PID=$GATEWAY_PID \
  python3 bench/p6-pipes-relay.py
